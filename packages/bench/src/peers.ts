import { createRequire } from 'node:module';
import type * as tfjs from '@tensorflow/tfjs';
import { outcome, type Contender } from './contenders.js';
import type { Workload } from './workloads.js';

// The npm peers, each given the workload's data and starting weights. Where a peer's update rule
// differs from the workload's, `notes` says how; the learning rate is scaled where that alone makes
// the maths the same (a (y − t) output gradient with twice the rate equals MSE's 2(y − t)).

const require = createRequire(import.meta.url);

/** The starting weight from input `i` to neuron `j` of layer `l`, and that neuron's bias. */
function initialOf({ shape, initial }: Workload) {
  const offsets: number[] = [];
  for (let l = 0, at = 0; l < shape.length - 1; l++) {
    offsets.push(at);
    at += shape[l + 1]! * (shape[l]! + 1);
  }
  return {
    weight: (l: number, j: number, i: number) => initial[offsets[l]! + j * (shape[l]! + 1) + i]!,
    bias: (l: number, j: number) => initial[offsets[l]! + j * (shape[l]! + 1) + shape[l]!]!,
  };
}

/** (y − t)-gradient peers need twice the rate to follow MSE (no ½). */
const halfErrorRate = (w: Workload) => (w.loss === 'mse' ? 2 : 1) * w.learningRate;

interface SynapticNeuron {
  bias: number;
  squash: unknown;
  connections: { inputs: Record<string, { from: SynapticNeuron; weight: number }> };
}

const synaptic: Contender = (workload) => ({
  run() {
    const { Architect, Neuron } = require('synaptic') as {
      Architect: { Perceptron: new (...sizes: number[]) => never };
      Neuron: { squash: Record<string, unknown> };
    };
    const network = new Architect.Perceptron(...workload.shape) as unknown as {
      layers: {
        input: { list: SynapticNeuron[] };
        hidden: { list: SynapticNeuron[] }[];
        output: { list: SynapticNeuron[] };
      };
      activate(input: number[]): number[];
      propagate(rate: number, target: number[]): void;
    };
    const { weight, bias } = initialOf(workload);
    const layers = [network.layers.input, ...network.layers.hidden, network.layers.output].map(
      (layer) => layer.list,
    );
    for (let l = 1; l < layers.length; l++) {
      layers[l]!.forEach((neuron, j) => {
        neuron.squash =
          workload.activation === 'tanh' ? Neuron.squash.TANH : Neuron.squash.LOGISTIC;
        neuron.bias = bias(l - 1, j);
        for (const connection of Object.values(neuron.connections.inputs)) {
          connection.weight = weight(l - 1, j, layers[l - 1]!.indexOf(connection.from));
        }
      });
    }
    const rate = halfErrorRate(workload);
    for (let epoch = 0; epoch < workload.epochs; epoch++) {
      for (const { input, target } of workload.examples) {
        network.activate(input);
        network.propagate(rate, [target]);
      }
    }
    return outcome(workload, (input) => network.activate(input)[0]!);
  },
});

/** convnetjs, typed as far as the benchmarks use it (a regression takes a list, a softmax a class). */
export function loadConvnetjs() {
  return require('convnetjs') as {
    Net: new () => {
      makeLayers(defs: object[]): void;
      layers: {
        layer_type: string;
        filters?: { w: Float64Array }[];
        biases?: { w: Float64Array };
      }[];
      forward(v: unknown): { w: Float64Array };
    };
    Trainer: new (
      net: unknown,
      options: object,
    ) => { train(v: unknown, y: number[] | number): void };
    Vol: new (values: number[]) => unknown;
  };
}

const convnet: Contender = (workload) => ({
  run() {
    const convnetjs = loadConvnetjs();
    const { shape, activation, batchSize } = workload;
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: shape[0] },
      ...shape.slice(1).map((size) => ({ type: 'fc', num_neurons: size, activation })),
      { type: 'regression', num_neurons: 1 },
    ]);
    net.layers.splice(net.layers.length - 2, 1); // the extra linear layer `regression` inserts
    const { weight, bias } = initialOf(workload);
    net.layers
      .filter((layer) => layer.layer_type === 'fc')
      .forEach((layer, l) =>
        layer.filters!.forEach((filter, j) => {
          filter.w.forEach((_, i) => (filter.w[i] = weight(l, j, i)));
          layer.biases!.w[j] = bias(l, j);
        }),
      );
    const trainer = new convnetjs.Trainer(net, {
      method: 'sgd',
      learning_rate: halfErrorRate(workload),
      momentum: 0,
      batch_size: batchSize,
      l2_decay: 0,
    });
    for (let epoch = 0; epoch < workload.epochs; epoch++) {
      for (const { input, target } of workload.examples)
        trainer.train(new convnetjs.Vol(input), [target]);
    }
    return outcome(workload, (input) => net.forward(new convnetjs.Vol(input)).w[0]!);
  },
});

/** brain.js, typed as far as the benchmarks use it. */
export function loadBrain() {
  return require('brain.js') as {
    NeuralNetwork: new (options: object) => {
      sizes: number[];
      initialize(): void;
      weights: Float64Array[][];
      biases: Float64Array[];
      train(data: object[], options: object): void;
      run(input: number[]): number[];
    };
  };
}

const brain: Contender = (workload) => ({
  run() {
    const { NeuralNetwork } = loadBrain();
    const { shape, activation } = workload;
    const net = new NeuralNetwork({ hiddenLayers: shape.slice(1, -1), activation });
    net.sizes = [...shape];
    net.initialize();
    const { weight, bias } = initialOf(workload);
    for (let l = 1; l < shape.length; l++) {
      for (let j = 0; j < shape[l]!; j++) {
        net.biases[l]![j] = bias(l - 1, j);
        for (let i = 0; i < shape[l - 1]!; i++) net.weights[l]![j]![i] = weight(l - 1, j, i);
      }
    }
    net.train(
      workload.examples.map(({ input, target }) => ({ input, output: [target] })),
      // brain.js refuses 0 for these: a threshold never reached, and a momentum whose product rounds to 0.
      {
        iterations: workload.epochs,
        errorThresh: 1e-15,
        learningRate: halfErrorRate(workload),
        momentum: Number.MIN_VALUE,
        log: false,
      },
    );
    return outcome(workload, (input) => net.run(input)[0]!);
  },
});

const tensorflow: Contender = (workload) => ({
  async run() {
    const tf = require('@tensorflow/tfjs') as typeof tfjs;
    await tf.setBackend('cpu');
    const { shape, activation, examples, epochs, batchSize, loss, learningRate } = workload;
    const { weight, bias } = initialOf(workload);
    const model = tf.sequential();
    shape.slice(1).forEach((units, l) => {
      const layer = tf.layers.dense({
        units,
        activation,
        ...(l === 0 ? { inputShape: [shape[0]!] } : {}),
      });
      model.add(layer);
      const kernel = Array.from({ length: shape[l]! }, (_, i) =>
        Array.from({ length: units }, (_, j) => weight(l, j, i)),
      );
      layer.setWeights([
        tf.tensor2d(kernel),
        tf.tensor1d(Array.from({ length: units }, (_, j) => bias(l, j))),
      ]);
    });
    // tfjs's MSE has gradient 2(y − t): half the rate gives the half squared error's steps.
    model.compile({
      optimizer: tf.train.sgd(loss === 'mse' ? learningRate : learningRate / 2),
      loss: 'meanSquaredError',
    });
    const xs = tf.tensor2d(examples.map((e) => e.input));
    const ys = tf.tensor2d(examples.map((e) => [e.target]));
    await model.fit(xs, ys, { epochs, batchSize, shuffle: false, verbose: 0 });
    const predictions = (model.predict(xs) as tfjs.Tensor).dataSync();
    const byInput = new Map(examples.map((e, i) => [e, predictions[i]!]));
    const lookup = (input: number[]) => byInput.get(examples.find((e) => e.input === input)!)!;
    return outcome(workload, lookup);
  },
});

/** The npm peers, by name, with what differs in their maths. */
export const peers: Record<string, { contender: Contender; notes: string }> = {
  synaptic: {
    contender: synaptic,
    notes: 'per-sample updates only; its output error has no activation derivative',
  },
  convnetjs: { contender: convnet, notes: 'same maths' },
  'brain.js': { contender: brain, notes: 'float32; per-sample updates only (no mini-batches)' },
  'tfjs (cpu)': { contender: tensorflow, notes: 'float32' },
};
