// When dendrite runs many examples at once (CompiledGradients.batched, Compiled.batched): the
// batched engine's default, and `predictAll` on many rows.
import type { BatchedFunction } from '@dendrite/autograd';
import { parameterCount } from './memory.js';

/**
 * Networks with at least this many parameters train their mini-batches, and predict many rows,
 * a batch at once: below it, one example at a time through code written out for the network is
 * as fast. Measured: 2-8-8-1 (105 parameters) at mini-batches of 10, 1.77 µs an example one at a
 * time and 1.98 batched; 2-10-10-1 (151), 2.38 and 2.24; 2-16-16-1 (337), 5.23 and 3.76.
 */
export const smallestBatchedNetwork = 150;

/** The most examples run at once: a larger mini-batch runs in parts of this many, in order. */
export const widestBatch = 64;

/** Whether a network of this shape gains from running a batch at once. */
export function gainsFromBatches(shape: readonly number[]): boolean {
  return parameterCount(shape) >= smallestBatchedNetwork;
}

/**
 * Each row's outputs from a batched forward function (rows of its inputs), running up to its
 * width of rows at once: the very numbers of the compiled function for each row in turn.
 */
export function predictInBatches(
  batched: BatchedFunction,
  rows: readonly (readonly number[])[],
): number[][] {
  const { inputCount, outputCount } = batched;
  const width = Math.min(rows.length, batched.width);
  const x = new Float64Array(width * inputCount);
  const out = new Float64Array(width * outputCount);
  const outputs: number[][] = [];
  for (let from = 0; from < rows.length; from += width) {
    const count = Math.min(width, rows.length - from);
    for (let e = 0; e < count; e++) x.set(rows[from + e]!, e * inputCount);
    batched(x, count, out);
    for (let e = 0; e < count; e++) {
      outputs.push(Array.from(out.subarray(e * outputCount, (e + 1) * outputCount)));
    }
  }
  return outputs;
}
