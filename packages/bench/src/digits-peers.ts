// W4's npm peers, each given the workload's data and starting weights; `notes` in digits.ts say
// where their maths differs.
import { createRequire } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';
import { loadBrain, loadConvnetjs } from './peers.js';
import {
  hiddens,
  inputs,
  classes,
  outcomeOf,
  outputOffset,
  type DigitsContender,
  type DigitsWorkload,
} from './digits-workload.js';

const require = createRequire(import.meta.url);

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

export const tensorflow: DigitsContender = (workload) => ({
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

export const brain: DigitsContender = (workload) => ({
  run() {
    const { NeuralNetwork } = loadBrain();
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

export const convnet: DigitsContender = (workload) => ({
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
