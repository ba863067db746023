import { formula, variable } from '@dendrite/autograd';
import { describe, expect, it } from 'vitest';
import {
  initializers,
  lectureNetwork,
  Network,
  NeuralNetworkError,
  seededRandom,
  shuffle,
} from './index.js';

describe('seededRandom', () => {
  it("is seedrandom's stream: 'hello.' gives 0.9282578795792454, then 0.3752569768646784", () => {
    const random = seededRandom('hello.');
    expect(random.next()).toBe(0.9282578795792454);
    expect(random.next()).toBe(0.3752569768646784);
  });

  it('treats a number seed as its decimal text', () => {
    expect(seededRandom(5).next()).toBe(seededRandom('5').next());
  });

  it('shuffles the same way for the same seed', () => {
    const a = shuffle([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(3));
    expect(shuffle([1, 2, 3, 4, 5, 6, 7, 8], seededRandom(3))).toEqual(a);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('Network', () => {
  it('labels parameters as the lecture numbers them, neuron by neuron', () => {
    const network = lectureNetwork();
    expect(network.parameters().map((p) => p.label)).toEqual([
      'w1',
      'w2',
      'b1',
      'w3',
      'w4',
      'b2',
      'w5',
      'w6',
      'b3',
    ]);
    expect(formula(network.forward([variable(1, 'x1'), variable(2, 'x2')])[0]!)).toBe(
      'σ(w5 * h1 + w6 * h2 + b3)',
    );
  });

  it('lets a parameter be relabelled, and keeps each label to its own parameter', () => {
    const [w1, w2] = lectureNetwork().parameters();
    w1!.label = 'weight';
    expect([w1!.label, w2!.label, lectureNetwork().parameters()[0]!.label]).toEqual([
      'weight',
      'w2',
      'w1',
    ]);
    w1!.label = undefined;
    expect(formula(w1!)).toMatch(/^v\d+$/);
  });

  it('takes a neuron of 100,000 inputs (a chain of dots), to the bit of a loop', () => {
    const network = new Network([100_000, 1], { activation: 'linear', init: 'xavier' });
    const input = Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    const [w, b] = [network.parameters().slice(0, -1), network.parameters().at(-1)!];
    let sum = 0;
    for (let i = 0; i < input.length; i++)
      sum = i === 0 ? w[0]!.value * input[0]! : sum + w[i]!.value * input[i]!;
    expect(network.predict(input)).toEqual([sum + b.value]);
  });

  it('has any shape, with hidden and output activations or one per layer', () => {
    const network = new Network([3, 8, 8, 2], { activation: 'tanh', outputActivation: 'linear' });
    expect(network.parameters()).toHaveLength(3 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
    expect(network.activations).toEqual(['tanh', 'tanh', 'linear']);
    expect(network.predict([0.1, 0.2, 0.3])).toHaveLength(2);
    const mixed = new Network([2, 4, 4, 1], { activation: ['relu', 'tanh', 'sigmoid'] });
    expect(mixed.activations).toEqual(['relu', 'tanh', 'sigmoid']);
  });

  it('forwards numbers and Values alike', () => {
    const network = new Network([2, 3, 1], { seed: 4 });
    const x = variable(0.3);
    expect(network.forward([x, 0.7])[0]!.value).toBe(network.predict([0.3, 0.7])[0]);
  });

  it('draws the same weights from the same seed on every platform (pinned)', () => {
    expect(lectureNetwork({ seed: 1 }).parameters()[0]!.value).toBe(-1.6494464060102976);
    expect(
      lectureNetwork({ seed: 1 })
        .parameters()
        .map((p) => p.value),
    ).toEqual(
      lectureNetwork({ seed: 1 })
        .parameters()
        .map((p) => p.value),
    );
    expect(lectureNetwork({ seed: 2 }).parameters()[0]!.value).not.toBe(-1.6494464060102976);
  });

  it('initializes as the Playground does: weights U(-0.5, 0.5) drawn link by link, biases 0.1', () => {
    const network = new Network([2, 3, 1], { init: 'playground', seed: 9 });
    const random = seededRandom(9);
    for (const layer of network.layers) {
      for (const neuron of layer.neurons) {
        for (const w of neuron.weights) expect(w.value).toBe(random.next() - 0.5);
        expect(neuron.bias.value).toBe(0.1);
      }
    }
  });

  it('offers Xavier, He and zero initializers', () => {
    const bound = Math.sqrt(6 / (8 + 8));
    const xavier = new Network([8, 8, 1], { init: 'xavier' });
    for (const w of xavier.layers[0]!.neurons.flatMap((n) => n.weights))
      expect(Math.abs(w.value)).toBeLessThanOrEqual(bound);
    expect(xavier.layers[0]!.neurons[0]!.bias.value).toBe(0);
    const he = new Network([50, 50, 1], { init: 'he' }).layers[0]!.neurons.flatMap((n) =>
      n.weights.map((w) => w.value),
    );
    const variance = he.reduce((s, w) => s + w * w, 0) / he.length;
    expect(variance).toBeGreaterThan(0.03);
    expect(variance).toBeLessThan(0.05); // 2 / fanIn = 0.04
    expect(new Network([2, 2, 1], { init: 'zero' }).parameters().every((p) => p.value === 0)).toBe(
      true,
    );
    expect(Object.keys(initializers)).toEqual(['normal', 'playground', 'xavier', 'he', 'zero']);
  });

  it('says what is wrong with a bad shape, activation, initializer or input', () => {
    expect(() => new Network([2])).toThrow(NeuralNetworkError);
    expect(() => new Network([2, 0, 1])).toThrow(/at least two whole numbers/);
    expect(() => new Network([2, 1], { activation: 'swish' as 'relu' })).toThrow(
      'unknown activation "swish"; use sigmoid, tanh, relu, linear, softmax',
    );
    expect(() => new Network([2, 1], { outputActivation: 'softmax' })).toThrow(
      'softmax is for the output layer, with two or more outputs',
    );
    expect(() => new Network([2, 3, 2], { activation: ['softmax', 'linear'] })).toThrow(
      'softmax is for the output layer',
    );
    expect(() => new Network([2, 2, 1], { activation: ['relu'] })).toThrow(
      'give one activation per layer (2), got 1',
    );
    expect(() => new Network([2, 1], { init: 'ones' as 'zero' })).toThrow(
      /unknown initializer "ones"/,
    );
    expect(() => lectureNetwork().predict([1, 2, 3])).toThrow('the network takes 2 inputs, got 3');
  });

  it.each([
    [[3, 4, 2], 'one at a time'],
    [[3, 40, 24, 2], 'a batch at once (150+ parameters)'],
  ])(
    'predicts many inputs as one at a time, with the parameters as they are now: %j, %s',
    (shape) => {
      const network = new Network(shape, { activation: 'tanh', seed: 3 });
      const inputs = [
        [0.1, 0.2, 0.3],
        [-1, 0, 2],
      ];
      expect(network.predictAll(inputs)).toEqual(inputs.map((x) => network.predict(x)));
      network.parameters()[0]!.value += 1;
      expect(network.predictAll(inputs)).toEqual(inputs.map((x) => network.predict(x)));
      expect(network.predictAll(inputs)[1]).not.toEqual(
        new Network(shape, { activation: 'tanh', seed: 3 }).predict(inputs[1]!),
      );
      // More rows than a batch takes, to the bit.
      const many = Array.from({ length: 150 }, (_, i) => [Math.sin(i), Math.cos(i), i / 50 - 1]);
      expect(network.predictAll(many)).toEqual(many.map((x) => network.predict(x)));
      expect(() => network.predictAll([[1, 2, 3], [1]])).toThrow(
        'the network takes 3 inputs, got 1',
      );
    },
  );
});
