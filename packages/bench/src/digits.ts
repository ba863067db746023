// W4: scikit-learn's 8 × 8 digits, ten classes: a 64-32-10 network with a softmax output,
// categorical cross-entropy, mini-batches of 32 and Adam, against a hand-written loop with the
// hand-derived softmax gradient p − y, and the npm peers that can train such a network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import type * as tfjs from '@tensorflow/tfjs';
import { encodeClass, Network, taskMetrics, train, type Example } from '@dendrite/nn';
import type { Outcome } from './contenders.js';
import { loadConvnetjs } from './peers.js';

const require = createRequire(import.meta.url);

/** The W4 job, identical for every contender. */
export interface DigitsWorkload {
  name: string;
  shape: [number, number, number];
  batchSize: number;
  learningRate: number;
  epochs: number;
  /** The first 80% of the rows, in the file's order, and the rest. */
  train: Example<number[]>[];
  test: Example<number[]>[];
  /** Starting parameters in dendrite's order (Xavier, seed 1). */
  initial: number[];
}

/** W4: the digits (pixels 0–16 scaled to [0, 1]), 64-32-10 tanh then softmax, Adam at 0.01. */
export function digitsWorkload(epochs = 20, rows = Infinity): DigitsWorkload {
  const file = new URL('../../fixtures/data/digits.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(0, rows);
  const examples = lines.map((line) => {
    const cells = line.split(',').map(Number);
    const digit = cells.pop()!;
    return {
      input: cells.map((x) => x / 16),
      target: encodeClass(digit, 10, 'softmax') as number[],
    };
  });
  const cut = Math.floor(examples.length * 0.8);
  const shape: [number, number, number] = [64, 32, 10];
  const network = new Network(shape, {
    activation: 'tanh',
    outputActivation: 'softmax',
    init: 'xavier',
    seed: 1,
  });
  return {
    name: 'W4 digits',
    shape,
    batchSize: 32,
    learningRate: 0.01,
    epochs,
    train: examples.slice(0, cut),
    test: examples.slice(cut),
    initial: network.parameters().map((p) => p.value),
  };
}

/** A contender for W4: prepares untimed, then `run` trains (timed) and reports. */
export type DigitsContender = (workload: DigitsWorkload) => { run(): Outcome | Promise<Outcome> };

/** The training loss, the first example's probabilities and the test accuracy of a predictor. */
function outcomeOf(
  workload: DigitsWorkload,
  predict: (input: number[]) => ArrayLike<number>,
): Outcome {
  let total = 0;
  for (const { input, target } of workload.train) {
    const p = predict(input);
    total -= Math.log(p[target.indexOf(1)]!);
  }
  const argmax = (p: ArrayLike<number>) =>
    Array.prototype.indexOf.call(p, Math.max(...Array.from(p)));
  const correct = workload.test.filter(
    (e) => argmax(predict(e.input)) === e.target.indexOf(1),
  ).length;
  return {
    finalLoss: total / workload.train.length,
    outputs: Array.from(predict(workload.train[0]!.input)),
    accuracy: correct / workload.test.length,
  };
}

const dendrite: DigitsContender = (workload) => ({
  run() {
    const network = new Network(workload.shape, {
      activation: 'tanh',
      outputActivation: 'softmax',
    });
    network.parameters().forEach((p, i) => (p.value = workload.initial[i]!));
    train(network, workload.train, {
      epochs: workload.epochs,
      learningRate: workload.learningRate,
      batchSize: workload.batchSize,
      loss: 'categoricalCrossEntropy',
      optimizer: 'adam',
    });
    const task = { kind: 'classification' as const, classes: [...'0123456789'] };
    taskMetrics(network, workload.test, { task, loss: 'categoricalCrossEntropy' }); // as the CLI reports
    return outcomeOf(workload, (input) => network.predict(input));
  },
});

/** The hand-written loop's state: parameters in dendrite's order, their gradients and Adam's moments. */
interface Hand {
  p: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  steps: number;
  hidden: Float64Array;
  probabilities: Float64Array;
  deltaHidden: Float64Array;
}

const [inputs, hiddens, classes] = [64, 32, 10];
const outputOffset = hiddens * (inputs + 1);

/** tanh hidden layer, then softmax with the largest logit subtracted. */
function forwardByHand(s: Hand, x: readonly number[]): Float64Array {
  const { p, hidden, probabilities } = s;
  for (let j = 0, o = 0; j < hiddens; j++, o += inputs + 1) {
    let z = p[o]! * x[0]!;
    for (let i = 1; i < inputs; i++) z += p[o + i]! * x[i]!;
    hidden[j] = Math.tanh(z + p[o + inputs]!);
  }
  let largest = -Infinity;
  for (let k = 0, o = outputOffset; k < classes; k++, o += hiddens + 1) {
    let z = p[o]! * hidden[0]!;
    for (let j = 1; j < hiddens; j++) z += p[o + j]! * hidden[j]!;
    probabilities[k] = z + p[o + hiddens]!;
    if (probabilities[k]! > largest) largest = probabilities[k]!;
  }
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += probabilities[k] = Math.exp(probabilities[k]! - largest);
  for (let k = 0; k < classes; k++) probabilities[k]! /= sum;
  return probabilities;
}

/** The hand-derived gradients: δ = p − y at the logits, δ · (1 − h²) through the tanh layer. */
function backwardByHand(s: Hand, x: readonly number[], y: readonly number[]): void {
  const { p, g, hidden, probabilities, deltaHidden } = s;
  deltaHidden.fill(0);
  for (let k = 0, o = outputOffset; k < classes; k++, o += hiddens + 1) {
    const delta = probabilities[k]! - y[k]!;
    for (let j = 0; j < hiddens; j++) {
      g[o + j]! += delta * hidden[j]!;
      deltaHidden[j]! += delta * p[o + j]!;
    }
    g[o + hiddens]! += delta;
  }
  for (let j = 0, o = 0; j < hiddens; j++, o += inputs + 1) {
    const delta = deltaHidden[j]! * (1 - hidden[j]! * hidden[j]!);
    for (let i = 0; i < inputs; i++) g[o + i]! += delta * x[i]!;
    g[o + inputs]! += delta;
  }
}

/** Adam on the batch's mean gradient, as dendrite's `adam` computes it. */
function adamByHand(s: Hand, learningRate: number, count: number): void {
  const { p, g, m, v } = s;
  s.steps++;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const correction1 = 1 - beta1 ** s.steps;
  const correction2 = 1 - beta2 ** s.steps;
  for (let i = 0; i < p.length; i++) {
    const gradient = g[i]! / count;
    m[i] = beta1 * m[i]! + (1 - beta1) * gradient;
    v[i] = beta2 * v[i]! + (1 - beta2) * gradient * gradient;
    p[i]! -= (learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
    g[i] = 0;
  }
}

const handWritten: DigitsContender = (workload) => ({
  run() {
    const size = workload.initial.length;
    const s: Hand = {
      p: Float64Array.from(workload.initial),
      g: new Float64Array(size),
      m: new Float64Array(size),
      v: new Float64Array(size),
      steps: 0,
      hidden: new Float64Array(hiddens),
      probabilities: new Float64Array(classes),
      deltaHidden: new Float64Array(hiddens),
    };
    const { train: examples, batchSize, learningRate } = workload;
    for (let epoch = 0; epoch < workload.epochs; epoch++) {
      let count = 0;
      for (const { input, target } of examples) {
        forwardByHand(s, input);
        backwardByHand(s, input, target);
        if (++count === batchSize) {
          adamByHand(s, learningRate, count);
          count = 0;
        }
      }
      if (count > 0) adamByHand(s, learningRate, count);
      let total = 0; // the epoch's loss, as train reports it
      for (const { input, target } of examples)
        total -= Math.log(forwardByHand(s, input)[target.indexOf(1)]!);
      if (!Number.isFinite(total)) throw new Error('diverged');
    }
    return outcomeOf(workload, (input) => Float64Array.from(forwardByHand(s, input)));
  },
});

/** A layer's starting weights as [inputs][units] (tfjs's kernel) and its biases. */
function layerWeights({ initial, shape }: DigitsWorkload, layer: 0 | 1) {
  const [from, units] = [shape[layer], shape[layer + 1]!];
  const offset = layer === 0 ? 0 : outputOffset;
  const at = (j: number, i: number) => initial[offset + j * (from + 1) + i]!;
  return {
    kernel: Array.from({ length: from }, (_, i) =>
      Array.from({ length: units }, (_, j) => at(j, i)),
    ),
    biases: Array.from({ length: units }, (_, j) => at(j, from)),
  };
}

const tensorflow: DigitsContender = (workload) => ({
  async run() {
    const tf = require('@tensorflow/tfjs') as typeof tfjs;
    await tf.setBackend('cpu');
    const model = tf.sequential();
    ([0, 1] as const).forEach((l) => {
      const layer = tf.layers.dense({
        units: workload.shape[l + 1]!,
        activation: l === 0 ? 'tanh' : 'softmax',
        ...(l === 0 ? { inputShape: [inputs] } : {}),
      });
      model.add(layer);
      const { kernel, biases } = layerWeights(workload, l);
      layer.setWeights([tf.tensor2d(kernel), tf.tensor1d(biases)]);
    });
    model.compile({
      optimizer: tf.train.adam(workload.learningRate),
      loss: 'categoricalCrossentropy',
    });
    const xs = tf.tensor2d(workload.train.map((e) => e.input));
    const ys = tf.tensor2d(workload.train.map((e) => e.target));
    await model.fit(xs, ys, {
      epochs: workload.epochs,
      batchSize: workload.batchSize,
      shuffle: false,
      verbose: 0,
    });
    return outcomeOf(workload, (input) =>
      (model.predict(tf.tensor2d([input])) as tfjs.Tensor).dataSync(),
    );
  },
});

const brain: DigitsContender = (workload) => ({
  run() {
    const { NeuralNetwork } = require('brain.js') as {
      NeuralNetwork: new (options: object) => {
        sizes: number[];
        initialize(): void;
        weights: Float64Array[][];
        biases: Float64Array[];
        train(data: object[], options: object): void;
        run(input: number[]): Float64Array;
      };
    };
    const net = new NeuralNetwork({
      hiddenLayers: [hiddens],
      activation: 'sigmoid',
      praxis: 'adam',
    });
    net.sizes = [...workload.shape];
    net.initialize();
    ([0, 1] as const).forEach((l) => {
      const { kernel, biases } = layerWeights(workload, l);
      biases.forEach((b, j) => {
        net.biases[l + 1]![j] = b;
        kernel.forEach((row, i) => (net.weights[l + 1]![j]![i] = row[j]!));
      });
    });
    net.train(
      workload.train.map(({ input, target }) => ({ input, output: target })),
      {
        iterations: workload.epochs,
        errorThresh: 1e-15,
        learningRate: workload.learningRate,
        praxis: 'adam',
        log: false,
      },
    );
    return outcomeOf(workload, (input) => {
      const out = net.run(input);
      const total = out.reduce((s, x) => s + x, 0);
      return out.map((x) => x / total); // its outputs are per-class activations, not probabilities
    });
  },
});

const convnet: DigitsContender = (workload) => ({
  run() {
    const convnetjs = loadConvnetjs();
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: inputs },
      { type: 'fc', num_neurons: hiddens, activation: 'tanh' },
      { type: 'softmax', num_classes: classes },
    ]);
    net.layers
      .filter((layer) => layer.layer_type === 'fc')
      .forEach((layer, l) => {
        const { kernel, biases } = layerWeights(workload, l as 0 | 1);
        layer.filters!.forEach((filter, j) => {
          filter.w.forEach((_, i) => (filter.w[i] = kernel[i]![j]!));
          layer.biases!.w[j] = biases[j]!;
        });
      });
    const trainer = new convnetjs.Trainer(net, {
      method: 'adagrad',
      learning_rate: workload.learningRate,
      batch_size: workload.batchSize,
      l2_decay: 0,
    });
    for (let epoch = 0; epoch < workload.epochs; epoch++) {
      for (const { input, target } of workload.train)
        trainer.train(new convnetjs.Vol(input), target.indexOf(1));
    }
    return outcomeOf(workload, (input) => net.forward(new convnetjs.Vol(input)).w);
  },
});

/** W4's contenders by name, with what differs in their maths. */
export const digitsContenders: Record<string, { contender: DigitsContender; notes: string }> = {
  'hand-written loop': { contender: handWritten, notes: 'same maths' },
  'dendrite compiled': { contender: dendrite, notes: 'same maths' },
  'tfjs (cpu)': { contender: tensorflow, notes: 'float32' },
  'brain.js': {
    contender: brain,
    notes:
      'one activation for every layer (sigmoid) and no softmax: its outputs, normalised, score; per-sample Adam',
  },
  convnetjs: { contender: convnet, notes: 'no Adam in convnetjs: Adagrad' },
};
