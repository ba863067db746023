// One epoch of a training run: its examples forward and backward, one at a time or a mini-batch
// at once, and the updates between batches (train.ts drives the epochs).
import { AutogradError } from '@dendrite/autograd';
import type { Example } from './data.js';
import type { Engine } from './engines.js';
import { NeuralNetworkError } from './errors.js';
import type { Network } from './network.js';
import type { StepReport } from './train-options.js';
import { applyUpdate, type Updater } from './update.js';

/** One training run's state, for the loops below (module-level functions, kept hot across runs). */
export interface Run {
  /** What computes each example's loss and gradients. */
  engine: Engine;
  /** What the steps update, and how. */
  updater: Updater;
  /** The training examples. */
  examples: readonly Example[];
  /** The order to take the examples in (shuffled in place when asked). */
  order: number[];
  /** Examples per update. */
  batchSize: number;
  /** Carry a last partial batch into the next epoch instead of applying it. */
  carry: boolean;
  /** The network trained (its parameters' labels name a diverging gradient). */
  network: Network;
  /** How many epochs the run has, for messages (unknown for a `trainer`). */
  epochs: number | undefined;
  /** Told after each example. */
  onStep: ((report: StepReport) => void) | undefined;
}

/**
 * One epoch at `learningRate`, as the lecture trains: for each example, forward, loss and
 * backward (its gradients add up over the batch); after each full batch, a step (and one for a
 * last partial batch, unless it carries over into the next epoch).
 */
export function runEpoch(run: Run, epoch: number, learningRate: number): void {
  const { engine, updater, examples, order, batchSize } = run;
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const loss = backpropagate(run, examples[index]!, epoch, learningRate);
    if (!Number.isFinite(loss) && run.updater.stop) {
      throw diverged(run, epoch, learningRate, `the loss of example ${index + 1} is ${loss}`);
    }
    updater.batch++;
    if ((position + 1) % batchSize === 0) step(run, epoch, learningRate);
    if (run.onStep !== undefined) {
      engine.syncToNetwork();
      run.onStep({ epoch, step: position, loss });
    }
  }
  if (updater.batch > 0 && !run.carry) step(run, epoch, learningRate);
}

/**
 * `runEpoch` on the batched engine: the examples of each mini-batch forward, loss and backward
 * at once (in parts of at most the engine's width), the same numbers as one at a time.
 */
export function runEpochInBatches(run: Run, epoch: number, learningRate: number): void {
  const { engine, updater, examples, order, batchSize } = run;
  const width = engine.width!;
  for (let from = 0; from < order.length;) {
    const to = Math.min(order.length, (Math.floor(from / batchSize) + 1) * batchSize);
    for (let at = from; at < to; at += width) {
      const count = Math.min(width, to - at);
      let losses: Float64Array;
      try {
        losses = engine.accumulateBatch!(examples, order, at, count, updater.sums);
      } catch (error) {
        if (error instanceof AutogradError) throw diverged(run, epoch, learningRate, error.message);
        throw error;
      }
      for (let e = 0; e < count && run.updater.stop; e++) {
        if (!Number.isFinite(losses[e])) {
          const what = `the loss of example ${order[at + e]! + 1} is ${losses[e]}`;
          throw diverged(run, epoch, learningRate, what);
        }
      }
      updater.batch += count;
    }
    if (to % batchSize === 0) step(run, epoch, learningRate);
    from = to;
  }
  if (updater.batch > 0 && !run.carry) step(run, epoch, learningRate);
}

/** One example's loss, its gradients added to the batch's. */
function backpropagate(run: Run, example: Example, epoch: number, learningRate: number): number {
  try {
    return run.engine.accumulate(example, run.updater.sums);
  } catch (error) {
    if (error instanceof AutogradError) throw diverged(run, epoch, learningRate, error.message);
    throw error;
  }
}

/** The update from the batch's gradients: the optimizer's step, then the regularization. */
function step(run: Run, epoch: number, learningRate: number): void {
  const { updater } = run;
  const bad = applyUpdate(updater, learningRate);
  if (bad >= 0) {
    const gradient = updater.sums[bad]! / updater.batch;
    const what = `the gradient of ${run.network.parameters()[bad]!.label} is ${gradient}`;
    throw diverged(run, epoch, learningRate, what);
  }
  if (run.engine.readsVariables) run.engine.syncToNetwork();
}

export function diverged(
  run: Run,
  epoch: number,
  learningRate: number,
  what: string,
): NeuralNetworkError {
  const of = run.epochs === undefined ? '' : ` of ${run.epochs}`;
  return new NeuralNetworkError(
    `training diverged in epoch ${epoch + 1}${of}: ${what}; ` +
      `try a smaller learning rate than ${learningRate}`,
  );
}
