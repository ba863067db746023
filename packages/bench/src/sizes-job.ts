// The sizes benchmark's job: its shapes, examples and starting weights, the same for every contender.
import { Network, parameterCount, type Example } from '@dendrite/nn';

/** The shapes measured; the last is in the run only with `--large`. */
export const shapes = ['2-8-8-1', '2-16-16-1', '2-32-32-1', '2-64-64-1', '64-64-10', '784-32-10'];
export const large = '784-1024-10';
export const examplesPerRun = 256;
export const learningRate = 0.01;
/** Examples per update: 10, or `SIZES_BATCH` (the sizes benchmark also runs 32). */
export const batchSize = Number(process.env.SIZES_BATCH ?? 10);
export const rounds = 3;

/** One timed run: the build (network, loss and compile; not the examples) and the epochs. */
export interface Run {
  buildMs: number;
  epochs: number;
  /** Microseconds per example and epoch (a training pass, and a forward pass for the epoch's loss). */
  perExample: number;
  /** The first ten epochs as they ran, cold code and all (dendrite only). */
  firstTenMs?: number;
  finalLoss: number;
  /** How dendrite ran its tape: written out (`code`) or interpreted (`tape`). */
  mode: string;
  heapMB: number;
}

/** The job of a shape: its examples and starting weights, the same for both contenders. */
export function job(shape: number[]) {
  const outputs = shape.at(-1)!;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const examples: Example[] = Array.from({ length: examplesPerRun }, () => {
    const input = Array.from({ length: shape[0]! }, () => random() * 2 - 1);
    const label = Math.floor(random() * outputs);
    const target =
      outputs === 1
        ? input[0]! * input[1]! > 0
          ? 1
          : -1
        : Array.from({ length: outputs }, (_, i) => (i === label ? 1 : 0));
    return { input, target };
  });
  /** The network, made by each contender inside its timed build (the examples are not its build). */
  const network = () =>
    new Network(shape, {
      activation: 'tanh',
      outputActivation: outputs === 1 ? 'tanh' : 'softmax',
      init: 'xavier',
      seed: 1,
    });
  const loss = outputs === 1 ? ('halfSquaredError' as const) : ('categoricalCrossEntropy' as const);
  // About a second of the hand loop's work on small networks, 10 epochs at least.
  const epochs = Math.max(10, Math.ceil(2e8 / (parameterCount(shape) * examplesPerRun * 20)));
  return { examples, network, loss, epochs };
}

/** Where each layer's parameters start in `network.parameters()` (each neuron's weights, then its bias). */
export function layerOffsets(shape: readonly number[]): number[] {
  const offsets: number[] = [];
  for (let l = 0, at = 0; l < shape.length - 1; at += shape[l + 1]! * (shape[l]! + 1), l++) {
    offsets.push(at);
  }
  return offsets;
}

/** The heap in use, in MB. */
export const heapMB = () => process.memoryUsage().heapUsed / 2 ** 20;

/** Neuron j of layer l's weights (then its bias) in the network's parameter order. */
export function startingWeights(shape: number[]) {
  const { examples, network, epochs } = job(shape);
  const w = network()
    .parameters()
    .map((p) => p.value);
  const offsets = layerOffsets(shape);
  const weight = (l: number, j: number, i: number) => w[offsets[l]! + j * (shape[l]! + 1) + i]!;
  const bias = (l: number, j: number) => weight(l, j, shape[l]!);
  return { examples, epochs, weight, bias };
}

/** A peer's run: µs per example and epoch of training, its final loss as it reports it. */
export const runOf = (ms: number, epochs: number, finalLoss: number, mode = ''): Run => ({
  buildMs: 0,
  epochs,
  perExample: (ms * 1000) / (epochs * examplesPerRun),
  finalLoss,
  mode,
  heapMB: heapMB(),
});
