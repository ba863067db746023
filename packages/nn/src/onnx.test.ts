import { evaluate, grad, variable } from '@dendrite/autograd';
import { graphToOnnx } from '@dendrite/autograd/onnx';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  decodeClass,
  encodeClass,
  lectureData,
  lectureNetwork,
  lectureQueries,
  loadModel,
  losses,
  Network,
  normal,
  postprocess,
  preprocess,
  prepareExperiment,
  saveModel,
  seededRandom,
  train,
  type LayerActivation,
  type ModelDetails,
  type Preprocessing,
} from './index.js';
import { modelToOnnx } from './onnx.js';

/** Runs ONNX bytes in ONNX Runtime on rows of raw inputs. */
async function runOnnx(bytes: Uint8Array, rows: number[][], float32 = false) {
  const session = await ort.InferenceSession.create(bytes);
  const data = float32 ? Float32Array.from(rows.flat()) : Float64Array.from(rows.flat());
  const input = new ort.Tensor(float32 ? 'float32' : 'float64', data, [
    rows.length,
    rows[0]!.length,
  ]);
  const result = await session.run({ input });
  const width = result.output!.dims[1]!;
  const output = Array.from({ length: rows.length }, (_, r) =>
    Array.from(result.output!.data as Float64Array).slice(r * width, (r + 1) * width),
  );
  return { output, classes: result.class?.data as string[] | undefined };
}

const random = seededRandom(11);
const rows = (width: number, count = 12) =>
  Array.from({ length: count }, () => Array.from({ length: width }, () => normal(random, 0, 2)));

/** A trained-looking model file: random weights, the given preprocessing and details. */
function modelFile(
  shape: number[],
  activation: LayerActivation[],
  preprocessing: Preprocessing = {},
  details: ModelDetails = {},
) {
  const network = new Network(shape, { activation, init: 'xavier', seed: shape.join('') });
  return { text: saveModel(network, preprocessing, {}, details), network };
}

/** dendrite's own prediction for a raw row, as `dendrite predict` computes it. */
const predict = (text: string, raw: number[]) => {
  const { network, preprocessing } = loadModel(text);
  return postprocess(network.predict(preprocess(raw, preprocessing)), preprocessing);
};

describe('ONNX export of models, run by ONNX Runtime', () => {
  const cases: [string, number[], LayerActivation[], Preprocessing, ModelDetails][] = [
    ['sigmoid', [2, 3, 1], ['sigmoid', 'sigmoid'], {}, {}],
    [
      'tanh, with normalisation',
      [3, 5, 1],
      ['tanh', 'tanh'],
      { normalization: { mean: [1, -2, 0.5], scale: [2, 0.5, 3] } },
      {},
    ],
    [
      'relu to linear, two outputs, scaled targets',
      [4, 6, 5, 2],
      ['relu', 'relu', 'linear'],
      { targets: { mean: [100, -3], scale: [20, 0.1] } },
      {},
    ],
    [
      'every Playground feature',
      [7, 4, 1],
      ['tanh', 'tanh'],
      { features: ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY'] },
      {},
    ],
    [
      'softmax over three classes',
      [4, 8, 3],
      ['tanh', 'softmax'],
      {},
      { task: { kind: 'classification', classes: ['a', 'b', 'c'] } },
    ],
    [
      'two classes on a sigmoid',
      [2, 4, 1],
      ['relu', 'sigmoid'],
      {},
      { task: { kind: 'classification', classes: ['no', 'yes'] } },
    ],
    [
      'two classes on a tanh',
      [2, 4, 1],
      ['relu', 'tanh'],
      {},
      { task: { kind: 'classification', classes: ['-1', '1'] } },
    ],
  ];

  it.each(cases)(
    '%s: equal to dendrite to 1e-12 in doubles, to float32 round-off in floats',
    async (_, shape, activation, preprocessing, details) => {
      const { text, network } = modelFile(shape, activation, preprocessing, details);
      const width = preprocessing.features === undefined ? shape[0]! : 2;
      const inputs = rows(width);
      const expected = inputs.map((raw) => predict(text, raw));
      const doubles = await runOnnx(modelToOnnx(text), inputs);
      doubles.output.forEach((row, r) =>
        row.forEach((y, k) => expect(Math.abs(y - expected[r]![k]!)).toBeLessThan(1e-12)),
      );
      const floats = await runOnnx(modelToOnnx(text, { float32: true }), inputs, true);
      floats.output.forEach((row, r) =>
        row.forEach((y, k) =>
          expect(Math.abs(y - expected[r]![k]!)).toBeLessThan(
            1e-5 * (1 + Math.abs(expected[r]![k]!)),
          ),
        ),
      );
      const { task } = loadModel(text);
      if (task.kind === 'classification') {
        const outputActivation = network.activations.at(-1)!;
        expect(doubles.classes).toEqual(
          expected.map((y) => task.classes[decodeClass(y, outputActivation).index]),
        );
      } else expect(doubles.classes).toBeUndefined();
    },
  );

  it('predicts Emily as the lecture’s trained network does', async () => {
    const network = lectureNetwork({ seed: 1 });
    train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
    const { output, classes } = await runOnnx(modelToOnnx(saveModel(network)), [
      [...lectureQueries.Emily],
    ]);
    expect(Math.abs(output[0]![0]! - network.predict(lectureQueries.Emily)[0]!)).toBeLessThan(
      1e-15,
    );
    expect(output[0]![0]!.toFixed(3)).toBe('0.965');
    expect(classes).toEqual(['1']); // the lecture's network is a 0/1 classifier: female
  });

  it('computes the symbolically derived dL/dw1 of the lecture as the engine does', async () => {
    // The lecture's worked step: every weight 1, every bias 0 (dL/dw1 = 0.0214695… for Alice).
    const network = lectureNetwork();
    for (const p of network.parameters()) p.value = p.label!.startsWith('w') ? 1 : 0;
    const x = [variable(0, 'x1'), variable(0, 'x2')];
    const y = variable(0, 'y');
    const loss = losses.mse(network.forward(x)[0]!, y);
    const [w1] = network.parameters();
    const slope = grad(loss, w1!);
    const session = await ort.InferenceSession.create(
      graphToOnnx([slope], { inputs: [...x, y], names: ['dL_dw1'] }),
    );
    const scalar = (v: number) => new ort.Tensor('float64', new Float64Array([v]), []);
    const alice = lectureData[0]!;
    expect(
      Number(
        (
          await session.run({
            x1: scalar(alice.input[0]!),
            x2: scalar(alice.input[1]!),
            y: scalar(alice.target),
          })
        ).dL_dw1!.data[0],
      ).toFixed(10),
    ).toBe('0.0214695353');
    for (const { input, target } of lectureData) {
      const result = await session.run({
        x1: scalar(input[0]!),
        x2: scalar(input[1]!),
        y: scalar(target),
      });
      x[0]!.value = input[0]!;
      x[1]!.value = input[1]!;
      y.value = target;
      const engine = evaluate(slope);
      expect(Math.abs(Number(result.dL_dw1!.data[0]) - engine)).toBeLessThan(
        1e-15 + 1e-12 * Math.abs(engine),
      );
    }
  });

  it('refuses what is not a valid model, naming the field', () => {
    expect(() => modelToOnnx('{"format": "dendrite-model", "version": 2, "shape": [2]}')).toThrow(
      /invalid model file: shape/,
    );
  });

  it('exports a trained classifier that ONNX Runtime classifies as dendrite does', async () => {
    const data = Array.from({ length: 90 }, (_, i) => {
      const c = i % 3;
      return {
        input: [normal(random, c * 3, 0.7), normal(random, c % 2, 0.7)],
        target: encodeClass(c, 3, 'softmax'),
      };
    });
    const experiment = prepareExperiment({
      data,
      random: seededRandom(2),
      normalize: true,
      hidden: [5],
      activation: 'tanh',
      outputActivation: 'softmax',
      outputSize: 3,
      training: { learningRate: 0.1, loss: 'categoricalCrossEntropy', optimizer: 'adam' },
    });
    train(experiment.network, experiment.train, { ...experiment.trainOptions, epochs: 20 });
    const text = experiment.modelFile(
      { inputs: ['a', 'b'] },
      { task: { kind: 'classification', classes: ['x', 'y', 'z'] } },
    );
    const raw = experiment.points.train.map((e) => e.input);
    const { classes } = await runOnnx(modelToOnnx(text), raw);
    expect(classes).toEqual(
      raw.map((r) => ['x', 'y', 'z'][decodeClass(predict(text, r), 'softmax').index]),
    );
  });
});
