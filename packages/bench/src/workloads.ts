import { lectureData, lectureNetwork, Network, playgroundData, type Example } from '@dendrite/nn';

/** One training job, identical for every contender: data, network, starting weights and settings. */
export interface Workload {
  name: string;
  shape: number[];
  /** The activation of every layer, output included. */
  activation: 'sigmoid' | 'tanh';
  loss: 'mse' | 'halfSquaredError';
  batchSize: number;
  learningRate: number;
  epochs: number;
  examples: Example<number>[];
  /** Starting parameters in dendrite's order: neuron by neuron, its weights then its bias. */
  initial: number[];
}

/** W1: the lecture: 2-2-1 sigmoid, its table, MSE, per-sample SGD at 0.1 (1000 epochs in full). */
export function lectureWorkload(epochs = 1000): Workload {
  return {
    name: 'W1 lecture',
    shape: [2, 2, 1],
    activation: 'sigmoid',
    loss: 'mse',
    batchSize: 1,
    learningRate: 0.1,
    epochs,
    examples: lectureData.map(({ input, target }) => ({ input, target })),
    initial: lectureNetwork({ seed: 1 })
      .parameters()
      .map((p) => p.value),
  };
}

/**
 * W2: the Playground's style: xor (500 points, no noise), 2-8-8-1 tanh with a tanh output, ±1
 * labels, half squared error, mini-batches of 10 (mean gradient), lr 0.03, fixed order (200 epochs).
 */
export function playgroundWorkload(epochs = 200, samples = 500): Workload {
  const shape = [2, 8, 8, 1];
  return {
    name: 'W2 playground',
    shape,
    activation: 'tanh',
    loss: 'halfSquaredError',
    batchSize: 10,
    learningRate: 0.03,
    epochs,
    examples: playgroundData('xor', { samples, noise: 0, seed: 1 }),
    initial: new Network(shape, { init: 'playground', seed: 1 }).parameters().map((p) => p.value),
  };
}
