/** The batch an update comes from, for optimizers that need more than the mean gradients. */
export interface Batch {
  /** Each parameter's gradient summed over the batch (`gradients` is this over `size`). */
  sums: Float64Array;
  /** How many examples the batch holds. */
  size: number;
  /** 1 for a weight, 0 for a bias, by position (the same array, unchanged, for a whole run). */
  isWeight: Uint8Array;
}

/** Moves parameters against their gradients; it may keep state per parameter (by position). */
export interface Optimizer {
  /** Updates `values` in place, given each one's gradient (already averaged over the batch). */
  step(values: Float64Array, gradients: Float64Array, learningRate: number, batch: Batch): void;
  /** True when `step` reads only the batch's sums, so the mean gradients need not be computed. */
  readonly sumsOnly?: boolean;
}

/**
 * Plain gradient descent, the lecture's update: w ← w − η · ∂L/∂w. Over a batch of n it rounds as
 * the Playground does, weights w − (η / n) · Σg and biases b − η · Σg / n, so that replays of the
 * Playground are exact to the bit; for n = 1 both are the lecture's w − η · g.
 */
export function sgd(): Optimizer {
  return {
    sumsOnly: true,
    step(values, _gradients, learningRate, { sums, size, isWeight }) {
      // The biases' new values first; then every value as a weight (one multiply-add each, the
      // loop V8 runs fastest); then the biases put back.
      const { biases, saved } = biasesOf(isWeight);
      for (let j = 0; j < biases.length; j++) {
        const b = biases[j]!;
        saved[j] = values[b]! - (learningRate * sums[b]!) / size;
      }
      const rate = learningRate / size;
      for (let i = 0; i < values.length; i++) values[i]! -= rate * sums[i]!;
      for (let j = 0; j < biases.length; j++) values[biases[j]!] = saved[j]!;
    },
  };
}

const biasLists = new WeakMap<Uint8Array, { biases: Int32Array; saved: Float64Array }>();

/** Where the biases are in a weight mask, and room for their values (kept per mask). */
function biasesOf(isWeight: Uint8Array): { biases: Int32Array; saved: Float64Array } {
  let found = biasLists.get(isWeight);
  if (found === undefined) {
    const biases: number[] = [];
    isWeight.forEach((weight, i) => weight === 0 && biases.push(i));
    found = { biases: Int32Array.from(biases), saved: new Float64Array(biases.length) };
    biasLists.set(isWeight, found);
  }
  return found;
}

/** Gradient descent with momentum: v ← β v + g; w ← w − η v. */
export function momentum({ beta = 0.9 }: { beta?: number } = {}): Optimizer {
  let velocity: Float64Array | undefined;
  return {
    step(values, gradients, learningRate) {
      velocity ??= new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        velocity[i] = beta * velocity[i]! + gradients[i]!;
        values[i]! -= learningRate * velocity[i]!;
      }
    },
  };
}

/** Adam (Kingma & Ba): moving averages of the gradient and its square, with bias correction. */
export function adam({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = {}): Optimizer {
  let first: Float64Array | undefined;
  let second: Float64Array | undefined;
  let steps = 0;
  return {
    step(values, gradients, learningRate) {
      first ??= new Float64Array(values.length);
      second ??= new Float64Array(values.length);
      steps++;
      const correction1 = 1 - beta1 ** steps;
      const correction2 = 1 - beta2 ** steps;
      for (let i = 0; i < values.length; i++) {
        const g = gradients[i]!;
        first[i] = beta1 * first[i]! + (1 - beta1) * g;
        second[i] = beta2 * second[i]! + (1 - beta2) * g * g;
        values[i]! -=
          (learningRate * (first[i]! / correction1)) /
          (Math.sqrt(second[i]! / correction2) + epsilon);
      }
    },
  };
}

/** The built-in optimizers by name. */
export const optimizers = { sgd, momentum, adam } as const;

/** The name of a built-in optimizer. */
export type OptimizerName = keyof typeof optimizers;
