import { accuracy, meanLoss, Network, train } from '@dendrite/nn';
import type { Workload } from './workloads.js';

/** What a contender reports after training: the final loss, and predictions to compare. */
export interface Outcome {
  finalLoss: number;
  /** Outputs for the first few examples, to check that contenders agree. */
  outputs: number[];
  /** The training data's accuracy (threshold 0 for ±1 labels, 0.5 for 0/1). */
  accuracy: number;
}

/** A contender: prepares untimed, then `run` trains (timed) and reports. */
export type Contender = (workload: Workload) => { run(): Outcome };

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
        return {
          finalLoss: meanLoss(network, workload.examples, workload.loss),
          outputs: workload.examples.slice(0, 4).map((e) => network.predict(e.input)[0]!),
          accuracy: accuracy(network, workload.examples),
        };
      },
    };
  };
}

/**
 * The physical limit: the same network trained by plain loops over Float64Arrays with the
 * hand-derived backpropagation (δ = ∂L/∂y · f'(y) per layer), the same sums in the same order.
 */
const handWritten: Contender = ({
  shape,
  activation,
  loss,
  batchSize,
  learningRate,
  epochs,
  examples,
  initial,
}) => {
  const layers = shape.length - 1;
  const offsets: number[] = []; // where each layer's parameters start in the flat array
  let size = 0;
  for (let l = 0; l < layers; l++) {
    offsets.push(size);
    size += shape[l + 1]! * (shape[l]! + 1);
  }
  const f = activation === 'tanh' ? Math.tanh : (z: number) => 1 / (1 + Math.exp(-z));
  const slope = activation === 'tanh' ? (y: number) => 1 - y ** 2 : (y: number) => y * (1 - y);
  const lossOf =
    loss === 'mse'
      ? (y: number, t: number) => (t - y) ** 2
      : (y: number, t: number) => 0.5 * (y - t) ** 2;
  const lossSlope =
    loss === 'mse' ? (y: number, t: number) => -2 * (t - y) : (y: number, t: number) => y - t;

  return {
    run() {
      const p = Float64Array.from(initial);
      const g = new Float64Array(size);
      const a = shape.map((n) => new Float64Array(n)); // activations per layer
      const d = shape.map((n) => new Float64Array(n)); // δ per layer
      const forward = (input: readonly number[]) => {
        a[0]!.set(input);
        for (let l = 0; l < layers; l++) {
          const [inputs, outputs, from, to] = [shape[l]!, shape[l + 1]!, a[l]!, a[l + 1]!];
          for (let j = 0, o = offsets[l]!; j < outputs; j++, o += inputs + 1) {
            let z = p[o]! * from[0]!;
            for (let i = 1; i < inputs; i++) z += p[o + i]! * from[i]!;
            to[j] = f(z + p[o + inputs]!);
          }
        }
        return a[layers]![0]!;
      };
      let count = 0;
      const update = () => {
        for (let k = 0; k < size; k++) {
          p[k]! -= learningRate * (g[k]! / count);
          g[k] = 0;
        }
        count = 0;
      };
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (const { input, target } of examples) {
          const y = forward(input);
          d[layers]![0] = lossSlope(y, target) * slope(y);
          for (let l = layers - 1; l >= 0; l--) {
            const [inputs, outputs, from, delta] = [shape[l]!, shape[l + 1]!, a[l]!, d[l + 1]!];
            const below = d[l]!;
            below.fill(0);
            for (let j = 0, o = offsets[l]!; j < outputs; j++, o += inputs + 1) {
              for (let i = 0; i < inputs; i++) {
                g[o + i]! += delta[j]! * from[i]!;
                below[i]! += delta[j]! * p[o + i]!;
              }
              g[o + inputs]! += delta[j]!;
            }
            if (l > 0) for (let i = 0; i < inputs; i++) below[i]! *= slope(from[i]!);
          }
          if (++count === batchSize) update();
        }
        if (count > 0) update();
        let total = 0; // the epoch's loss, as train reports it
        for (const { input, target } of examples) total += lossOf(forward(input), target);
        if (!Number.isFinite(total)) throw new Error('diverged');
      }
      let total = 0;
      let correct = 0;
      const threshold = examples.some((e) => e.target < 0) ? 0 : 0.5;
      for (const { input, target } of examples) {
        const y = forward(input);
        total += lossOf(y, target);
        if (y >= threshold === target >= threshold) correct++;
      }
      return {
        finalLoss: total / examples.length,
        outputs: examples.slice(0, 4).map((e) => forward(e.input)),
        accuracy: correct / examples.length,
      };
    },
  };
};

/** Every contender, by name. */
export const contenders: Record<string, Contender> = {
  'hand-written loop': handWritten,
  'dendrite compiled': dendrite('compiled'),
  'dendrite eager': dendrite('eager'),
};
