import { grad } from '@dendrite/autograd';
import { describe, expect, it } from 'vitest';
import {
  fitNormalization,
  lectureData,
  lectureNetwork,
  loadModel,
  losses,
  Network,
  NeuralNetworkError,
  parsePlaygroundUrl,
  playgroundData,
  playgroundExperiment,
  preprocess,
  saveModel,
  toFeatures,
  toModelFile,
  train,
  type Feature,
} from './index.js';

function trainedNetwork() {
  const network = new Network([3, 5, 4, 1], { activation: ['relu', 'tanh', 'sigmoid'], seed: 8 });
  const chosen: Feature[] = ['x', 'y', 'xTimesY'];
  const data = playgroundData('xor', { samples: 60, seed: 1 }).map((e) => ({
    input: toFeatures(e.input, chosen),
    target: e.target > 0 ? 1 : 0,
  }));
  const normalization = fitNormalization(data.map((e) => e.input));
  train(
    network,
    data.map((e) => ({ ...e, input: preprocess(e.input, { normalization }) })),
    {
      epochs: 3,
      learningRate: 0.1,
    },
  );
  return { network, preprocessing: { features: chosen, normalization } };
}

/** The text with its first bias written as 1e400, which JSON.parse reads as Infinity. */
function withInfiniteBias(text: string): string {
  const changed = text.replace(/"biases":\[[-\d.e]+/, '"biases":[1e400');
  expect(changed).not.toBe(text);
  return changed;
}

describe('model files', () => {
  it('round-trip with bit-identical predictions, gradients and preprocessing', () => {
    const { network, preprocessing } = trainedNetwork();
    const loaded = loadModel(saveModel(network, preprocessing));
    expect(loaded.network.shape).toEqual(network.shape);
    expect(loaded.network.activations).toEqual(['relu', 'tanh', 'sigmoid']);
    expect(loaded.preprocessing).toEqual(preprocessing);
    for (const raw of [
      [0.5, -2],
      [3, 4],
      [-1e-3, 7],
    ]) {
      const input = preprocess(raw, preprocessing);
      expect(loaded.network.predict(input)).toEqual(network.predict(input));
      const lossOf = (n: Network) => losses.mse(n.forward(input)[0]!, 1);
      const before = grad(lossOf(network), network.parameters()).map((g) => g.value);
      const after = grad(lossOf(loaded.network), loaded.network.parameters()).map((g) => g.value);
      expect(after).toEqual(before);
    }
  });

  it('keep the order a network sums in: a Playground replay loads with the same last bits', () => {
    const url = '#dataset=spiral&networkShape=6,4&seed=0.3&xSquared=true&ySquared=true&sinX=true';
    const settings = parsePlaygroundUrl(url);
    const {
      network,
      train: examples,
      trainOptions,
    } = playgroundExperiment({ ...settings, seed: '0.3' });
    train(network, examples, { ...trainOptions, epochs: 5 });
    const file = toModelFile(network);
    expect(file.biasFirst).toBe(true);
    expect(toModelFile(lectureNetwork()).biasFirst).toBeUndefined();
    const loaded = loadModel(file).network;
    for (const { input } of examples) expect(loaded.predict(input)).toEqual(network.predict(input));
  });

  it('refuse to save a network whose parameters are not finite', () => {
    const network = lectureNetwork();
    network.parameters()[4]!.value = NaN;
    expect(() => saveModel(network)).toThrow(
      'cannot save a network whose w4 is NaN: a model file holds finite numbers only',
    );
  });

  it('loads a parsed object as well as JSON text', () => {
    const network = lectureNetwork();
    train(network, lectureData, { epochs: 10, learningRate: 0.1 });
    const { network: loaded, preprocessing } = loadModel(toModelFile(network));
    expect(loaded.predict([-7, -3])).toEqual(network.predict([-7, -3]));
    expect(preprocessing).toEqual({});
  });

  it('still loads a version 1 file, its one target named, its task implied by its output', () => {
    const v1 = { ...JSON.parse(saveModel(lectureNetwork())), version: 1, target: 'female' };
    const loaded = loadModel(v1);
    expect(loaded.names).toEqual({ targets: ['female'] });
    expect(loaded.task).toEqual({ kind: 'classification', classes: ['0', '1'] });
    expect(loaded.details).toEqual({});
    const linear = new Network([2, 1], { activation: 'linear' });
    expect(loadModel({ ...JSON.parse(saveModel(linear)), version: 1 }).task).toEqual({
      kind: 'regression',
    });
  });

  it('records the task, loss, training settings, metrics and split (version 2)', () => {
    const details = {
      task: { kind: 'classification' as const, classes: ['male', 'female'] },
      loss: 'binaryCrossEntropy' as const,
      training: { epochs: 10, learningRate: 0.1, schedule: { kind: 'cosine' } },
      metrics: { test: { loss: 0.1, accuracy: 1, auc: null } as never },
      split: {
        seed: '7',
        rows: 4,
        fingerprint: 'abc',
        shuffle: true,
        testFraction: 0.25,
        validationFraction: 0,
      },
    };
    const text = saveModel(lectureNetwork(), {}, {}, details);
    expect(JSON.parse(text).version).toBe(2);
    expect(loadModel(text).details).toEqual(details);
    expect(loadModel(text).task).toEqual(details.task);
  });

  it('keeps the names of the inputs and the target', () => {
    const names = { inputs: ['weight', 'height'], targets: ['female'] };
    const text = saveModel(lectureNetwork(), undefined, names);
    expect(loadModel(text).names).toEqual(names);
    expect(loadModel(saveModel(lectureNetwork())).names).toEqual({});
  });

  const valid = () =>
    JSON.parse(saveModel(lectureNetwork(), { normalization: { mean: [0, 0], scale: [1, 1] } }));

  it.each([
    ['text that is not JSON', () => '{"format": ', /^the model file is not JSON: /],
    [
      'a bare NaN, as JavaScript writes it (one line, where it is)',
      () => '{\n  "format": "dendrite-model",\n  "weights": [1,\n    NaN]\n}',
      /^the model file is not JSON at line 4, column 5: NaN is not a JSON number \(a model's numbers must be finite\)$/,
    ],
    [
      'a trailing comma (at its line and column)',
      () => '{\n  "format": "dendrite-model",\n}',
      /^the model file is not JSON at line 3, column 1: Expected double-quoted property name$/,
    ],
    ['a JSON array', () => '[]', /not a dendrite model file/],
    ['another format', () => ({ ...valid(), format: 'onnx' }), /not a dendrite model file/],
    [
      'an unknown version',
      () => ({ ...valid(), version: 3 }),
      /model format version 3 is not supported; this dendrite reads versions 1 and 2/,
    ],
    [
      'a missing field',
      () => {
        const m = valid();
        delete m.layers;
        return m;
      },
      /invalid model file: layers: /,
    ],
    [
      'an unknown activation',
      () => {
        const m = valid();
        m.layers[1].activation = 'softmax';
        return m;
      },
      /invalid model file: layers\[1\]\.activation: /,
    ],
    [
      'a weight that is not a number',
      () => {
        const m = valid();
        m.layers[0].weights[1][0] = '0.5';
        return m;
      },
      /layers\[0\]\.weights\[1\]\[0\]/,
    ],
    [
      'an infinite weight (1e400)',
      () => withInfiniteBias(JSON.stringify(valid())),
      /layers\[0\]\.biases\[0\]/,
    ],
    ['an extra field', () => ({ ...valid(), comment: 'hi' }), /invalid model file: .*comment/],
    ['a bad shape', () => ({ ...valid(), shape: [2, 0, 1] }), /invalid model file: shape\[1\]/],
    [
      'too few layers for the shape',
      () => ({ ...valid(), shape: [2, 2, 2, 1] }),
      /layers: has 2 layers; shape \[2, 2, 2, 1\] needs 3/,
    ],
    [
      'a missing neuron',
      () => {
        const m = valid();
        m.layers[0].weights.pop();
        return m;
      },
      /layers\[0\]\.weights: has 1 rows; shape says 2 neurons/,
    ],
    [
      'a missing bias',
      () => {
        const m = valid();
        m.layers[1].biases = [];
        return m;
      },
      /layers\[1\]\.biases: has 0 numbers; shape says 1 neurons/,
    ],
    [
      'a short weight row',
      () => {
        const m = valid();
        m.layers[1].weights[0].pop();
        return m;
      },
      /layers\[1\]\.weights\[0\]: has 1 weights; the layer has 2 inputs/,
    ],
    [
      'an unknown feature',
      () => ({ ...valid(), preprocessing: { features: ['x', 'cosX'] } }),
      /preprocessing\.features\[1\]/,
    ],
    [
      'features that disagree with the shape',
      () => ({ ...valid(), preprocessing: { features: ['x'] } }),
      /preprocessing\.features: gives 1 inputs; the network takes 2/,
    ],
    [
      'a normalization of the wrong size',
      () => ({ ...valid(), preprocessing: { normalization: { mean: [0], scale: [1, 1] } } }),
      /preprocessing\.normalization\.mean: has 1 numbers; expected 2/,
    ],
    [
      'input names that disagree with the shape',
      () => ({ ...valid(), inputs: ['weight'] }),
      /invalid model file: inputs: names 1 inputs; the model takes 2/,
    ],
    [
      'classes that disagree with the outputs',
      () => ({ ...valid(), task: { kind: 'classification', classes: ['a', 'b', 'c'] } }),
      /task\.classes: names 3 classes; the network has 1 outputs/,
    ],
    [
      'a class named twice',
      () => ({ ...valid(), task: { kind: 'classification', classes: ['a', 'a'] } }),
      /task\.classes: names a class twice/,
    ],
    ['an unknown loss', () => ({ ...valid(), loss: 'hinge' }), /invalid model file: loss: /],
    [
      'a softmax hidden layer',
      () => {
        const file = JSON.parse(saveModel(new Network([2, 2, 2])));
        file.layers[0].activation = 'softmax';
        return file;
      },
      /layers\[0\]\.activation: softmax is for an output layer/,
    ],
    [
      'a target scaling of the wrong size',
      () => ({ ...valid(), preprocessing: { targets: { mean: [0, 1], scale: [1, 1] } } }),
      /preprocessing\.targets\.mean: has 2 numbers; expected 1/,
    ],
    [
      'a scale of 0',
      () => ({ ...valid(), preprocessing: { normalization: { mean: [0, 0], scale: [1, 0] } } }),
      /preprocessing\.normalization\.scale\[1\]: a scale of 0/,
    ],
  ])('rejects %s, naming the problem', (_, make, message) => {
    expect(() => loadModel(make())).toThrow(NeuralNetworkError);
    expect(() => loadModel(make())).toThrow(message);
  });

  it('accepts what it writes', () => {
    expect(() => loadModel(valid())).not.toThrow();
  });
});
