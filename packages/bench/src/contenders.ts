import { Network, train } from '@dendrite/nn';
import { MicroValue } from './micrograd-port.js';
import type { Workload } from './workloads.js';

/** What a contender reports after training: the final loss, and predictions to compare. */
export interface Outcome {
  finalLoss: number;
  /** Outputs for the first few examples, to check that contenders agree. */
  outputs: number[];
  /** The training data's accuracy (threshold 0 for ±1 labels, 0.5 for 0/1). */
  accuracy: number;
}

/** The final loss (the workload's own), the first outputs and the accuracy of a predictor. */
export function outcome(
  { examples, loss }: Workload,
  predict: (input: number[]) => number,
): Outcome {
  const threshold = examples.some((e) => e.target < 0) ? 0 : 0.5;
  let total = 0;
  let correct = 0;
  for (const { input, target } of examples) {
    const y = predict(input);
    total += loss === 'mse' ? (target - y) ** 2 : 0.5 * (y - target) ** 2;
    if (y >= threshold === target >= threshold) correct++;
  }
  return {
    finalLoss: total / examples.length,
    outputs: examples.slice(0, 4).map((e) => predict(e.input)),
    accuracy: correct / examples.length,
  };
}

/** A contender: prepares untimed, then `run` trains (timed) and reports. */
export type Contender = (workload: Workload) => { run(): Outcome | Promise<Outcome> };

function dendrite(engine: 'compiled' | 'eager'): Contender {
  return (workload) => {
    let network: Network;
    return {
      run() {
        network = new Network(workload.shape, { activation: workload.activation });
        network.parameters().forEach((p, i) => (p.value = workload.initial[i]!));
        train(network, workload.examples, {
          epochs: workload.epochs,
          learningRate: workload.learningRate,
          batchSize: workload.batchSize,
          loss: workload.loss,
          engine,
        });
        return outcome(workload, (input) => network.predict(input)[0]!);
      },
    };
  };
}

/**
 * The physical limit: the same network trained by plain loops over Float64Arrays with the
 * hand-derived backpropagation (δ = ∂L/∂y · f'(y) per layer), the same sums in the same order.
 * Module-level functions, so V8 optimizes them once for every run.
 */
interface HandState {
  shape: readonly number[];
  tanh: boolean;
  offsets: number[]; // where each layer's parameters start in `p`
  p: Float64Array;
  g: Float64Array;
  a: Float64Array[]; // activations per layer
  d: Float64Array[]; // δ per layer
}

function activate(tanh: boolean, z: number): number {
  return tanh ? Math.tanh(z) : 1 / (1 + Math.exp(-z));
}

function forwardByHand(s: HandState, input: readonly number[]): number {
  const { shape, p, a, offsets, tanh } = s;
  const first = a[0]!;
  for (let i = 0; i < input.length; i++) first[i] = input[i]!;
  for (let l = 0; l < shape.length - 1; l++) {
    const inputs = shape[l]!;
    const from = a[l]!;
    const to = a[l + 1]!;
    for (let j = 0, o = offsets[l]!; j < shape[l + 1]!; j++, o += inputs + 1) {
      let z = p[o]! * from[0]!;
      for (let i = 1; i < inputs; i++) z += p[o + i]! * from[i]!;
      to[j] = activate(tanh, z + p[o + inputs]!);
    }
  }
  return a[shape.length - 1]![0]!;
}

function backwardByHand(s: HandState, outputSlope: number): void {
  const { shape, p, g, a, d, offsets, tanh } = s;
  const layers = shape.length - 1;
  const y = a[layers]![0]!;
  d[layers]![0] = outputSlope * (tanh ? 1 - y ** 2 : y * (1 - y));
  for (let l = layers - 1; l >= 0; l--) {
    const inputs = shape[l]!;
    const from = a[l]!;
    const delta = d[l + 1]!;
    const below = d[l]!;
    below.fill(0);
    for (let j = 0, o = offsets[l]!; j < shape[l + 1]!; j++, o += inputs + 1) {
      const dj = delta[j]!;
      for (let i = 0; i < inputs; i++) {
        g[o + i]! += dj * from[i]!;
        below[i]! += dj * p[o + i]!;
      }
      g[o + inputs]! += dj;
    }
    if (l > 0) {
      for (let i = 0; i < inputs; i++) {
        const x = from[i]!;
        below[i]! *= tanh ? 1 - x ** 2 : x * (1 - x);
      }
    }
  }
}

function stepByHand(s: HandState, learningRate: number, count: number): void {
  const { p, g } = s;
  for (let k = 0; k < p.length; k++) {
    p[k]! -= learningRate * (g[k]! / count);
    g[k] = 0;
  }
}

function lossByHand(mse: boolean, y: number, t: number): number {
  return mse ? (t - y) ** 2 : 0.5 * (y - t) ** 2;
}

const handWritten: Contender = (workload) => ({
  run() {
    const { shape, activation, loss, batchSize, learningRate, epochs, examples, initial } =
      workload;
    const offsets: number[] = [];
    let size = 0;
    for (let l = 0; l < shape.length - 1; l++) {
      offsets.push(size);
      size += shape[l + 1]! * (shape[l]! + 1);
    }
    const s: HandState = {
      shape,
      tanh: activation === 'tanh',
      offsets,
      p: Float64Array.from(initial),
      g: new Float64Array(size),
      a: shape.map((n) => new Float64Array(n)),
      d: shape.map((n) => new Float64Array(n)),
    };
    const mse = loss === 'mse';
    let count = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let e = 0; e < examples.length; e++) {
        const { input, target } = examples[e]!;
        const y = forwardByHand(s, input);
        backwardByHand(s, mse ? -2 * (target - y) : y - target);
        if (++count === batchSize) {
          stepByHand(s, learningRate, count);
          count = 0;
        }
      }
      if (count > 0) {
        stepByHand(s, learningRate, count);
        count = 0;
      }
      let total = 0; // the epoch's loss, as train reports it
      for (let e = 0; e < examples.length; e++)
        total += lossByHand(mse, forwardByHand(s, examples[e]!.input), examples[e]!.target);
      if (!Number.isFinite(total)) throw new Error('diverged');
    }
    return outcome(workload, (input) => forwardByHand(s, input));
  },
});

/**
 * A micrograd-style port, as such code is written: each sample builds a fresh graph of objects and
 * closures, backward walks it recursively, and the parameters' grads are averaged per batch.
 */
const micrograd: Contender = (workload) => ({
  run() {
    const { shape, activation, loss, batchSize, learningRate, epochs, examples, initial } =
      workload;
    const parameters = initial.map((v) => new MicroValue(v));
    const squash = (z: MicroValue) => (activation === 'tanh' ? z.tanh() : z.sigmoid());
    const forward = (input: readonly number[]): MicroValue => {
      let values = input.map((x) => new MicroValue(x));
      let k = 0;
      for (let l = 0; l < shape.length - 1; l++) {
        values = Array.from({ length: shape[l + 1]! }, () => {
          let sum = parameters[k++]!.mul(values[0]!);
          for (let i = 1; i < values.length; i++) sum = sum.add(parameters[k++]!.mul(values[i]!));
          return squash(sum.add(parameters[k++]!));
        });
      }
      return values[0]!;
    };
    const lossOf = (y: MicroValue, target: number) => {
      const error = y.add(new MicroValue(-target)); // y − t
      return loss === 'mse' ? error.mul(error) : error.mul(error).mul(new MicroValue(0.5));
    };
    let count = 0;
    const update = () => {
      for (const p of parameters) {
        p.data -= learningRate * (p.grad / count);
        p.grad = 0;
      }
      count = 0;
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const { input, target } of examples) {
        lossOf(forward(input), target).backward();
        if (++count === batchSize) update();
      }
      if (count > 0) update();
      let total = 0; // the epoch's loss, as train reports it
      for (const { input, target } of examples) total += lossOf(forward(input), target).data;
      if (!Number.isFinite(total)) throw new Error('diverged');
    }
    return outcome(workload, (input) => forward(input).data);
  },
});

/** Every contender, by name. */
export const contenders: Record<string, Contender> = {
  'hand-written loop': handWritten,
  'dendrite compiled': dendrite('compiled'),
  'dendrite eager': dendrite('eager'),
  'micrograd-style port': micrograd,
};
