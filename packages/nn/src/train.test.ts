import { describe, expect, it } from 'vitest';
import {
  adam,
  lectureData,
  lectureNetwork,
  losses,
  meanLoss,
  Network,
  NeuralNetworkError,
  playgroundData,
  train,
  trainer,
  type Example,
  type TrainOptions,
} from './index.js';

/** The gradient of the loss of one example with respect to every parameter, by the engine. */
function gradients(network: Network, { input, target }: Example<number>): number[] {
  const parameters = network.parameters();
  for (const p of parameters) p.grad = 0;
  losses.mse(network.forward(input)[0]!, target).backward();
  return parameters.map((p) => p.grad);
}

const values = (network: Network) => network.parameters().map((p) => p.value);

describe('train', () => {
  it('averages the gradients of a mini-batch before stepping', () => {
    const network = lectureNetwork({ seed: 3 });
    const before = values(network);
    const perExample = lectureData.map((e) => gradients(network, e));
    train(network, lectureData, { epochs: 1, learningRate: 0.5, batchSize: 4 });
    const expected = before.map(
      (v, i) => v - 0.5 * (perExample.reduce((s, g) => s + g[i]!, 0) / 4),
    );
    values(network).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
  });

  it('applies a last partial batch, or carries it into the next epoch as the Playground does', () => {
    const apply = lectureNetwork({ seed: 3 });
    const carry = lectureNetwork({ seed: 3 });
    train(apply, lectureData, { epochs: 1, learningRate: 0.1, batchSize: 3 });
    train(carry, lectureData, {
      epochs: 1,
      learningRate: 0.1,
      batchSize: 3,
      partialBatch: 'carry',
    });
    // Both made the first update from examples 1–3; only `apply` also updated from example 4.
    const afterOne = lectureNetwork({ seed: 3 });
    train(afterOne, lectureData.slice(0, 3), { epochs: 1, learningRate: 0.1, batchSize: 3 });
    expect(values(carry)).toEqual(values(afterOne));
    expect(values(apply)).not.toEqual(values(afterOne));
    // In epoch 2 batches end at the same positions, so its first update averages the carried
    // example 4 with examples 1–3, all taken at the parameters after the first update.
    const carryTwo = lectureNetwork({ seed: 3 });
    train(carryTwo, lectureData, {
      epochs: 2,
      learningRate: 0.1,
      batchSize: 3,
      partialBatch: 'carry',
    });
    train(afterOne, lectureData, { epochs: 1, learningRate: 0.1, batchSize: 4 });
    values(carryTwo).forEach((v, i) => expect(v).toBeCloseTo(values(afterOne)[i]!, 15));
  });

  it('reports the loss after every epoch, on the training and the test examples', () => {
    const data = playgroundData('gauss', { samples: 100, seed: 2 });
    const network = new Network([2, 4, 1], { activation: 'tanh', init: 'playground' });
    const epochs: number[] = [];
    let steps = 0;
    const history = train(network, data.slice(0, 80), {
      epochs: 5,
      learningRate: 0.03,
      batchSize: 10,
      loss: 'halfSquaredError',
      test: data.slice(80),
      onEpoch: ({ epoch }) => epochs.push(epoch),
      onStep: () => steps++,
    });
    expect(epochs).toEqual([0, 1, 2, 3, 4]);
    expect(steps).toBe(5 * 80);
    expect(history.trainLoss).toHaveLength(5);
    expect(history.testLoss).toHaveLength(5);
    expect(history.trainLoss[4]).toBe(meanLoss(network, data.slice(0, 80), 'halfSquaredError'));
    expect(history.testLoss[4]).toBe(meanLoss(network, data.slice(80), 'halfSquaredError'));
  });

  it.each(['sgd', 'momentum', 'adam'] as const)('lowers the loss with %s', (optimizer) => {
    const network = lectureNetwork({ seed: 5 });
    const { trainLoss } = train(network, lectureData, {
      epochs: 200,
      learningRate: optimizer === 'adam' ? 0.05 : 0.1,
      optimizer,
    });
    expect(trainLoss[199]).toBeLessThan(trainLoss[0]! / 2);
  });

  it('takes an optimizer object too, and trains with binary cross-entropy', () => {
    const network = lectureNetwork({ seed: 5 });
    const { trainLoss } = train(network, lectureData, {
      epochs: 200,
      learningRate: 0.05,
      optimizer: adam({ beta1: 0.8 }),
      loss: 'binaryCrossEntropy',
    });
    expect(trainLoss[199]).toBeLessThan(0.1);
  });

  it('shrinks weights with L2, and L1 sets some exactly to 0 for good, never the biases', () => {
    const data = playgroundData('gauss', { samples: 100, seed: 2 });
    const options: TrainOptions = {
      epochs: 30,
      learningRate: 0.03,
      batchSize: 10,
      loss: 'halfSquaredError',
    };
    const size = (network: Network) =>
      network.layers
        .flatMap((l) => l.neurons.flatMap((n) => n.weights))
        .reduce((s, w) => s + w.value ** 2, 0);
    const make = () => new Network([2, 8, 1], { activation: 'tanh', init: 'playground', seed: 1 });
    const plain = make();
    const l2 = make();
    const l1 = make();
    train(plain, data, options);
    train(l2, data, { ...options, regularization: { kind: 'l2', rate: 0.3 } });
    train(l1, data, { ...options, regularization: { kind: 'l1', rate: 0.1 } });
    expect(size(l2)).toBeLessThan(size(plain));
    const l1Weights = l1.layers.flatMap((l) => l.neurons.flatMap((n) => n.weights));
    expect(l1Weights.filter((w) => w.value === 0).length).toBeGreaterThan(0);
    expect(l1.layers.flatMap((l) => l.neurons.map((n) => n.bias.value)).every((b) => b !== 0)).toBe(
      true,
    );
  });

  it('shuffles reproducibly when asked', () => {
    const run = (seed: number) => {
      const network = lectureNetwork({ seed: 1 });
      train(network, lectureData, { epochs: 3, learningRate: 0.1, shuffle: true, seed });
      return values(network);
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('stops with a clear error when the loss stops being finite', () => {
    const network = new Network([2, 1], { activation: 'linear', seed: 1 });
    const data = [{ input: [1000, 1000], target: 1 }];
    expect(() => train(network, data, { epochs: 50, learningRate: 10 })).toThrow(
      NeuralNetworkError,
    );
    expect(() =>
      train(new Network([2, 1], { activation: 'linear', seed: 1 }), data, {
        epochs: 50,
        learningRate: 10,
      }),
    ).toThrow(/^training diverged in epoch \d+ of 50: .*; try a smaller learning rate than 10$/);
  });

  it('names the parameter whose gradient overflowed, the loss still finite, one at a time or batched', () => {
    for (const batchSize of [1, 2]) {
      const network = new Network([1, 1], { activation: 'linear', seed: 1 });
      const [w, b] = network.parameters();
      [w!.value, b!.value] = [1e-299, 0]; // output 1e5: dL/dw = 2 · 1e5 · 1e304 overflows
      const data = [0, 1].map(() => ({ input: [1e304], target: 0 }));
      expect(() => train(network, data, { epochs: 2, learningRate: 0.1, batchSize })).toThrow(
        /^training diverged in epoch 1 of 2: the gradient of w1 is Infinity; try a smaller/,
      );
    }
  });

  it('says what is wrong with its options and data', () => {
    const net = lectureNetwork();
    const cases: [Partial<TrainOptions>, RegExp][] = [
      [{ epochs: -1 }, /epochs must be a whole number/],
      [{ learningRate: 0 }, /learning rate must be a positive number/],
      [{ batchSize: 0 }, /batch size/],
      [{ loss: 'hinge' as 'mse' }, /unknown loss "hinge"/],
      [{ optimizer: 'rmsprop' as 'sgd' }, /unknown optimizer "rmsprop"/],
      [{ regularization: { kind: 'l3' as 'l1', rate: 1 } }, /unknown regularization/],
      [{ regularization: { kind: 'l1', rate: -1 } }, /regularization rate/],
      [{ test: [{ input: [1], target: 0 }] }, /test example 1 has 1 inputs; the network takes 2/],
    ];
    for (const [options, message] of cases) {
      expect(() => train(net, lectureData, { epochs: 1, learningRate: 0.1, ...options })).toThrow(
        message,
      );
    }
    expect(() => train(net, [], { epochs: 1, learningRate: 0.1 })).toThrow(
      'there are no examples to train on',
    );
    expect(() =>
      train(net, [{ input: [NaN, 1], target: 0 }], { epochs: 1, learningRate: 0.1 }),
    ).toThrow(/not finite/);
    expect(() => train(new Network([2, 2]), lectureData, { epochs: 1, learningRate: 0.1 })).toThrow(
      'training example 1 has 1 targets; the network has 2 outputs',
    );
  });

  it('takes an option given as undefined as its default, as its type allows', () => {
    const run = (extra: Partial<TrainOptions>) =>
      train(lectureNetwork(), lectureData, { epochs: 3, learningRate: 0.1, ...extra }).trainLoss;
    const undefinedOptions = {
      batchSize: undefined,
      loss: undefined,
      optimizer: undefined,
      partialBatch: undefined,
      engine: undefined,
      stopOnNonFinite: undefined,
    };
    expect(run(undefinedOptions)).toEqual(run({}));
  });

  it('runs epoch by epoch through a trainer with exactly the numbers of one train call', () => {
    const data = playgroundData('circle', { samples: 103, seed: 4 });
    const options = {
      learningRate: 0.1,
      batchSize: 10, // 103 leaves a remainder to carry
      loss: 'halfSquaredError' as const,
      partialBatch: 'carry' as const,
      regularization: { kind: 'l1' as const, rate: 0.01 },
      test: data.slice(0, 20),
    };
    const whole = new Network([2, 3, 1], { activation: 'tanh', init: 'playground', seed: 5 });
    const history = train(whole, data, { ...options, epochs: 6 });
    const stepped = new Network([2, 3, 1], { activation: 'tanh', init: 'playground', seed: 5 });
    const run = trainer(stepped, data, options);
    const reports = Array.from({ length: 6 }, () => run.epoch());
    expect(run.epochs).toBe(6);
    expect(reports.map((r) => r.trainLoss)).toEqual(history.trainLoss);
    expect(reports.map((r) => r.testLoss)).toEqual(history.testLoss);
    expect(values(stepped)).toEqual(values(whole));
    run.learningRate = 0.5;
    expect(() => (run.learningRate = -1)).toThrow('the learning rate must be a positive number');
    const before = values(stepped);
    run.epoch();
    expect(values(stepped)).not.toEqual(before);
  });
});
