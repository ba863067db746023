// The sizes benchmark's npm peers, given the same examples and starting weights as the hand loop:
// TensorFlow.js on its CPU backend (float32, mini-batches of 10, SGD) and brain.js (float32,
// per-sample updates only, one activation for every layer, so tanh outputs with squared error in
// place of a softmax with cross-entropy).
import { createRequire } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';
import { loadBrain } from './peers.js';
import { batchSize, learningRate, runOf, startingWeights, type Run } from './sizes-job.js';

const require = createRequire(import.meta.url);

async function tensorflow(shape: number[]): Promise<Run> {
  const tf = require('@tensorflow/tfjs') as typeof tfjs;
  await tf.setBackend('cpu');
  const { examples, epochs, weight, bias } = startingWeights(shape);
  const softmax = shape.at(-1)! > 1;
  const model = tf.sequential();
  shape.slice(1).forEach((units, l) => {
    const last = l === shape.length - 2;
    const layer = tf.layers.dense({
      units,
      activation: last && softmax ? 'softmax' : 'tanh',
      ...(l === 0 ? { inputShape: [shape[0]!] } : {}),
    });
    model.add(layer);
    const kernel = Array.from({ length: shape[l]! }, (_, i) =>
      Array.from({ length: units }, (_, j) => weight(l, j, i)),
    );
    const biases = Array.from({ length: units }, (_, j) => bias(l, j));
    layer.setWeights([tf.tensor2d(kernel), tf.tensor1d(biases)]);
  });
  // tfjs's mean squared error has gradient 2(y − t): half the rate takes half squared error's steps.
  model.compile({
    optimizer: tf.train.sgd(softmax ? learningRate : learningRate / 2),
    loss: softmax ? 'categoricalCrossentropy' : 'meanSquaredError',
  });
  const xs = tf.tensor2d(examples.map((e) => e.input));
  const ys = tf.tensor2d(
    examples.map((e) => (softmax ? (e.target as number[]) : [e.target as number])),
  );
  const start = performance.now();
  const history = await model.fit(xs, ys, { epochs, batchSize, shuffle: false, verbose: 0 });
  const ms = performance.now() - start;
  const loss = history.history.loss!.at(-1) as number;
  return runOf(ms, epochs, softmax ? loss : loss / 2);
}

function brain(shape: number[]): Run {
  const { NeuralNetwork } = loadBrain();
  const { examples, epochs, weight, bias } = startingWeights(shape);
  const net = new NeuralNetwork({ hiddenLayers: shape.slice(1, -1), activation: 'tanh' });
  net.sizes = [...shape];
  net.initialize();
  for (let l = 1; l < shape.length; l++) {
    for (let j = 0; j < shape[l]!; j++) {
      net.biases[l]![j] = bias(l - 1, j);
      for (let i = 0; i < shape[l - 1]!; i++) net.weights[l]![j]![i] = weight(l - 1, j, i);
    }
  }
  const data = examples.map(({ input, target }) => ({
    input,
    output: typeof target === 'number' ? [target] : target,
  }));
  const start = performance.now();
  // brain.js refuses 0 for these: a threshold never reached, and a momentum whose product rounds to 0.
  net.train(data, {
    iterations: epochs,
    errorThresh: 1e-15,
    learningRate,
    momentum: Number.MIN_VALUE,
    log: false,
  });
  const ms = performance.now() - start;
  return runOf(ms, epochs, Number.NaN);
}

/** The peers by name. */
export const sizePeers = { 'tfjs (cpu)': tensorflow, 'brain.js': brain };
