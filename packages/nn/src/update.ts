import type { Optimizer } from './optimizers.js';
import type { Regularization } from './train-options.js';

/** What an update reads and writes: the batch's summed gradients, the parameters, the optimizer. */
export interface Updater {
  /** The gradients of the batch's examples, summed (the engine adds each example's). */
  sums: Float64Array;
  /** How many examples `sums` holds. */
  batch: number;
  /** The mean gradients, for the optimizer. */
  gradients: Float64Array;
  /** The parameters' numbers, which the update changes in place (the engine's own). */
  values: Float64Array;
  /** 1 for a weight, 0 for a bias (the regularization leaves biases alone). */
  isWeight: Uint8Array;
  /** L1 weights that crossed 0, which stay 0 as in the Playground. */
  dead: Uint8Array;
  /** Whether any is. */
  anyDead: boolean;
  /** The values before the optimizer's step, for the regularization. */
  before: Float64Array | undefined;
  /** The penalty on the weights, if any. */
  regularization: Regularization | undefined;
  /** The update rule, with its state (Adam's moments, say). */
  optimizer: Optimizer;
  /** Refuse a non-finite gradient (else apply it, as the Playground does). */
  stop: boolean;
}

/**
 * One update at `learningRate` from the gradients summed over the batch's examples: the
 * optimizer's step with their mean, then the regularization as the Playground applies it
 * (weights only; an L1 weight that crosses 0 stays 0). Returns the index of a non-finite
 * gradient (changing nothing), else -1.
 */
export function applyUpdate(u: Updater, learningRate: number): number {
  const { sums, batch, gradients, values, dead, isWeight, before, optimizer } = u;
  const count = sums.length;
  if (u.stop && !allFinite(sums)) return sums.findIndex((sum) => !Number.isFinite(sum));
  if (u.anyDead) for (let i = 0; i < count; i++) if (dead[i]) sums[i] = 0;
  if (optimizer.sumsOnly !== true) for (let i = 0; i < count; i++) gradients[i] = sums[i]! / batch;
  before?.set(values);
  optimizer.step(values, gradients, learningRate, { sums, size: batch, isWeight });
  if (before !== undefined) {
    const { kind, rate } = u.regularization!;
    for (let i = 0; i < count; i++) {
      if (!isWeight[i] || dead[i]) continue;
      const slope = kind === 'l1' ? Math.sign(before[i]!) : before[i]!;
      const next = values[i]! - learningRate * rate * slope;
      if (kind === 'l1' && values[i]! * next < 0) {
        values[i] = 0;
        dead[i] = 1;
        u.anyDead = true;
      } else values[i] = next;
    }
  }
  if (u.anyDead) for (let i = 0; i < count; i++) if (dead[i]) values[i] = 0;
  sums.fill(0);
  u.batch = 0;
  return -1;
}

/**
 * Whether every number is finite: x · 0 is 0 for a finite x and NaN otherwise, added in four
 * independent sums, each a plain local (V8 keeps those in registers; a destructured array's took
 * four times as long).
 */
function allFinite(numbers: Float64Array): boolean {
  const count = numbers.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i + 3 < count; i += 4) {
    a += numbers[i]! * 0;
    b += numbers[i + 1]! * 0;
    c += numbers[i + 2]! * 0;
    d += numbers[i + 3]! * 0;
  }
  for (; i < count; i++) a += numbers[i]! * 0;
  return a + b + c + d === 0;
}
