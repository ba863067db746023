import {
  encodeClass,
  loadModel,
  Network,
  normal,
  prepareExperiment,
  saveModel,
  seededRandom,
  train,
} from '@dendrite/nn';
import { describe, expect, it } from 'vitest';
import { serve } from './models.js';
import { testServer } from './test-server.test-helper.js';

const classes = ['left', 'right', 'top'];
/** A softmax classifier of three blobs, saved with its task and names as `dendrite train` saves it. */
const blobs = (() => {
  const random = seededRandom(5);
  const centres = [
    [-2, 0],
    [2, 0],
    [0, 3],
  ];
  const data = centres.flatMap(([cx, cy], c) =>
    Array.from({ length: 30 }, () => ({
      input: [normal(random, cx!, 0.5), normal(random, cy!, 0.5)],
      target: encodeClass(c, 3, 'softmax'),
    })),
  );
  const network = new Network([2, 6, 3], {
    activation: 'tanh',
    outputActivation: 'softmax',
    seed: 2,
  });
  train(network, data, { epochs: 30, learningRate: 0.1, loss: 'categoricalCrossEntropy' });
  const file = saveModel(
    network,
    {},
    { inputs: ['x', 'y'], targets: ['side'] },
    {
      task: { kind: 'classification', classes },
      loss: 'categoricalCrossEntropy',
    },
  );
  return serve('blobs', loadModel(file));
})();

/** A regression whose targets were scaled for training: the server answers in their own units. */
const prices = (() => {
  const data = Array.from({ length: 40 }, (_, i) => ({ input: [i], target: 1000 + 50 * i }));
  const experiment = prepareExperiment({
    data,
    random: seededRandom(1),
    normalize: true,
    scaleTargets: true,
    hidden: [],
    activation: 'linear',
    outputActivation: 'linear',
    training: { learningRate: 0.1 },
  });
  train(experiment.network, experiment.train, { ...experiment.trainOptions, epochs: 50 });
  return serve('prices', loadModel(experiment.modelFile({ inputs: ['size'], targets: ['price'] })));
})();

const { call } = testServer(() => ({
  models: new Map([
    ['blobs', blobs],
    ['prices', prices],
  ]),
}));

const infer = (data: number[][], outputs?: string[]) => ({
  inputs: [{ name: 'input', shape: [data.length, data[0]!.length], datatype: 'FP64', data }],
  ...(outputs === undefined ? {} : { outputs: outputs.map((name) => ({ name })) }),
});

describe('a classifier over the Open Inference Protocol', () => {
  it('describes its input names, its output columns and its classes', async () => {
    const { json } = await call('GET', '/v2/models/blobs');
    expect(json.inputs).toEqual([
      { name: 'input', datatype: 'FP64', shape: [-1, 2], parameters: { columns: ['x', 'y'] } },
    ]);
    expect(json.outputs).toEqual([
      { name: 'output', datatype: 'FP64', shape: [-1, 3], parameters: { columns: classes } },
      { name: 'class', datatype: 'BYTES', shape: [-1], parameters: { classes } },
    ]);
  });

  it('answers with the probabilities and, as a second output, the class names', async () => {
    const points = [
      [-2.1, 0.2],
      [1.9, -0.1],
      [0, 3.2],
    ];
    const { status, json } = await call('POST', '/v2/models/blobs/infer', { body: infer(points) });
    expect(status).toBe(200);
    const [probabilities, names] = json.outputs as {
      name: string;
      data: unknown[];
      shape: number[];
    }[];
    expect(probabilities).toMatchObject({ name: 'output', shape: [3, 3] });
    expect(probabilities!.data).toEqual((blobs.predict(points) as number[][]).flat());
    expect(names).toEqual({ name: 'class', datatype: 'BYTES', shape: [3], data: classes });
    const only = await call('POST', '/v2/models/blobs/infer', { body: infer(points, ['class']) });
    expect((only.json.outputs as { name: string }[]).map((o) => o.name)).toEqual(['class']);
  });

  it('answers a regression in its targets’ units, undoing the scaling it trained with', async () => {
    const { json } = await call('POST', '/v2/models/prices/infer', { body: infer([[10], [30]]) });
    const [output] = json.outputs as { data: number[] }[];
    expect(output!.data[0]).toBeCloseTo(1500, 0);
    expect(output!.data[1]).toBeCloseTo(2500, 0);
    const metadata = await call('GET', '/v2/models/prices');
    expect(metadata.json.outputs).toEqual([
      { name: 'output', datatype: 'FP64', shape: [-1, 1], parameters: { columns: ['price'] } },
    ]);
  });

  it('refuses an output a regression does not have', async () => {
    const { status, json } = await call('POST', '/v2/models/prices/infer', {
      body: infer([[1]], ['class']),
    });
    expect(status).toBe(400);
    expect(json.error).toBe(
      "unexpected inference output 'class' for model 'prices'; it has 'output'",
    );
  });
});
