// A compiled tape as plain data: compile a large graph in a worker thread, post its tape to the
// thread that answers requests, and run it there with no graph and no compile.
import { AutogradError, describe } from '../errors.js';
import { Code } from './codes.js';
import { batchedFunction, type BatchedFunction } from './batched.js';
import { checkWidth, lanesOf } from './lanes.js';
import { runTape } from './run.js';
import type { Tape } from './tape.js';

/**
 * A tape of built-in ops as typed arrays and numbers only: `postMessage` copies it to another
 * thread (structured clone keeps its parameters a view of its slots), and `runPortable` runs it.
 */
export interface PortableTape {
  /** The tape without its ops' definitions (objects with functions), which built-in ops need not. */
  readonly tape: Omit<Tape, 'definitions' | 'wide'>;
  /** How many inputs it takes. */
  readonly inputCount: number;
}

/** A portable tape ready to run: inputs in, outputs out, like a compiled function. */
export interface PortableFunction {
  (inputs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** The parameters' numbers, in order; update them in place between calls. */
  readonly parameters: Float64Array;
  /** The same function for up to `width` examples at once (as `Compiled.batched`). */
  batched(width: number): BatchedFunction;
}

/** @internal The plain-data form of a tape (see `Compiled.portable`). */
export function toPortable(tape: Tape, inputCount: number): PortableTape {
  const own = tape.codes.indexOf(Code.own);
  if (own >= 0) {
    const op = tape.definitions![tape.rows[own]!]!;
    throw new AutogradError(
      `a portable tape runs built-in ops only; op ${op.name} is not one (use compile where it is defined)`,
    );
  }
  const { slots, parameterOffset, parameters, roots, codes, results, rows, ops, sums } = tape;
  const { reused, reusedParameters } = tape;
  const numbers = { slots, parameterOffset, parameters, roots, reused, reusedParameters };
  const plain = { ...numbers, codes, results, rows, ops, sums };
  return { tape: plain, inputCount };
}

/**
 * Runs a tape that `Compiled.portable()` gave, here or in another thread, as the compiled function
 * it came from runs: the same steps, the same numbers to the bit.
 * @example const predict = runPortable(message.tape); predict([0.5, 1]);
 */
export function runPortable(portable: PortableTape): PortableFunction {
  const { tape, inputCount } = portable ?? {};
  if (tape?.slots instanceof Float64Array !== true || !Number.isInteger(inputCount)) {
    throw new AutogradError(
      `runPortable needs what Compiled.portable() gives, got ${describe(portable)}`,
    );
  }
  const run = (x: ArrayLike<number>, out: Float64Array = new Float64Array(tape.roots.length)) => {
    if (x?.length !== inputCount) {
      throw new AutogradError(`this tape takes ${inputCount} inputs, got ${describe(x)}`);
    }
    runTape(tape, x, out);
    return out;
  };
  const batched = (width: number) => {
    checkWidth('a batched function', width);
    return batchedFunction(lanesOf(tape, width), []);
  };
  return Object.assign(run, { parameters: tape.parameters, batched });
}
