// What a compiled function run for many examples at once is (see lanes.ts): bound to its own
// parameters, as a compiled function is to its own.
import { AutogradError, describe } from '../errors.js';
import type { Value } from '../value.js';
import { checkBatch, type Lanes } from './lanes.js';
import { parameterSync, type BoundParameters } from './layout.js';
import { runLanes } from './run-lanes.js';

/**
 * A function run in lanes, bound to its own parameters as a compiled function is to its own:
 * a copy of the compiled function's when it was made.
 */
export interface Batched extends BoundParameters {
  /** The most examples it takes at once. */
  readonly width: number;
  /** Whether its neurons' loops run as WebAssembly SIMD (else as JavaScript): the same numbers. */
  readonly simd: boolean;
}

/** The `Batched` part of a function over these lanes. */
export function batchedParts(lanes: Lanes, parameterValues: readonly Value[]): Batched {
  return {
    parameters: lanes.parameters,
    parameterValues,
    ...parameterSync(parameterValues, lanes.parameters),
    width: lanes.width,
    simd: lanes.simd !== undefined,
  };
}

/**
 * A compiled function run for many examples at once: the outputs of `count` examples (example
 * e's inputs at `inputs[e * inputCount + i]`, its outputs at `out[e * outputCount + r]`), the
 * very numbers the compiled function gives for each in turn.
 */
export interface BatchedFunction extends Batched {
  (inputs: ArrayLike<number>, count: number, out?: Float64Array): Float64Array;
  /** How many inputs each example has. */
  readonly inputCount: number;
  /** How many outputs each example has. */
  readonly outputCount: number;
}

/** A function of the outputs over these lanes (see `BatchedFunction`). */
export function batchedFunction(lanes: Lanes, parameters: readonly Value[]): BatchedFunction {
  const { tape } = lanes;
  const outputCount = tape.roots.length;
  const batched = (
    x: ArrayLike<number>,
    count: number,
    out: Float64Array = new Float64Array(count * outputCount),
  ) => {
    checkBatch('a batched function', lanes, x, count);
    if (out.length < count * outputCount) {
      throw new AutogradError(
        `a batched function writes ${count * outputCount} outputs for ${count} examples, into ${describe(out)}`,
      );
    }
    runLanes(lanes, x, count, out);
    return out;
  };
  const counts = { inputCount: tape.parameterOffset, outputCount };
  return Object.assign(batched, batchedParts(lanes, parameters), counts);
}
