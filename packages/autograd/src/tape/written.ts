// A tape written out as one JavaScript function: its steps forward, then backwards, every slot a
// number in the code, so nothing dispatches on a step's code at run time.
import type { Evaluator } from '../codegen.js';
import { Code } from './codes.js';
import { writtenOp } from './op-step.js';
import { sumOfProducts, sweepEvenProducts, sweepPair, writtenSum } from './sum-step.js';
import type { Tape } from './tape.js';

/** A tape as one function: the loss for the inputs, and (given sums) its gradients added to them. */
export type TapeKernel = (x: ArrayLike<number>, gradients?: Float64Array) => number;

/** The longest tape written out, in characters of code: a longer one is interpreted (see BENCHMARKS.md). */
const largestSource = 16_000;

/** Sums of more than this many pairs are written as calls to the tape's own loops. */
const longestShortSum = 8;

/**
 * The functions that make kernels, by their source (the last `mostMakers`): a second network of
 * the same shape runs the code V8 has already optimised.
 */
const makers = new Map<string, KernelMaker>();
const mostMakers = 32;
type KernelMaker = (...context: unknown[]) => TapeKernel;

/**
 * The tape's forward run and reverse sweep written out as JavaScript: the same steps in the same
 * order as `runTape` and `sweepTape` (long sums of products by their very functions), so the same
 * numbers to the bit. Returns `undefined` for a tape too long to optimise as one function, unless
 * `always`; throws if the environment forbids generated code.
 */
export function tapeKernel(tape: Tape, always = false): TapeKernel | undefined {
  const written =
    tapeSource(tape, Infinity, largestSource) ??
    tapeSource(tape, longestShortSum, always ? Infinity : largestSource);
  if (written === undefined) return undefined;
  const { source, evaluators } = written;
  let make = makers.get(source);
  if (make === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the kernel is generated code
    make = new Function(
      'tape',
      's',
      'adj',
      'evaluators',
      'sum',
      'sweepEven',
      'sweepPair',
      source,
    ) as KernelMaker;
    if (makers.size === mostMakers) makers.delete(makers.keys().next().value!); // the oldest
    makers.set(source, make);
  }
  const adjoints = new Float64Array(tape.slots.length);
  return make(tape, tape.slots, adjoints, evaluators, sumOfProducts, sweepEvenProducts, sweepPair);
}

/**
 * The kernel's body over the tape, its slots `s` and the adjoints `adj`, with sums of up to
 * `longestWrittenSum` pairs written out, and the `evaluate`s its code calls; `undefined` once it
 * grows past `budget` characters.
 */
function tapeSource(
  tape: Tape,
  longestWrittenSum: number,
  budget: number,
): { source: string; evaluators: Evaluator[] } | undefined {
  const { codes, parameterOffset } = tape;
  const evaluators: Evaluator[] = [];
  const parameterCount = tape.parameters.length;
  const isGradient = (slot: number) =>
    slot >= parameterOffset &&
    slot < parameterOffset + parameterCount &&
    tape.reused[slot - parameterOffset] === 0;
  /** Where a slot's adjoint goes: a parameter's is its gradient, unless it is reused. */
  const adjoint = (slot: number) =>
    isGradient(slot) ? `gradients[${slot - parameterOffset}]` : `adj[${slot}]`;
  const reused = [...tape.reusedParameters].map((p) => parameterOffset + p);
  const forward: string[] = [];
  const backward: string[] = [];
  let length = 0;
  for (let k = 0; k < codes.length; k++) {
    const [run, sweep] =
      codes[k] === Code.sum
        ? writtenSum(tape, k, longestWrittenSum, adjoint)
        : writtenOp(tape, k, adjoint, evaluators);
    const back = `g = adj[${tape.results[k]!}]; if (g !== 0) { ${sweep} }`;
    forward.push(run);
    backward.push(back);
    if ((length += run.length + back.length) > budget) return undefined;
  }
  const root = tape.roots[0]!;
  const source = [
    '"use strict";',
    'return function tapeKernel(x, gradients) {',
    `for (let i = 0; i < ${parameterOffset}; i++) s[i] = x[i];`,
    ...forward,
    `if (gradients === undefined) return s[${root}];`,
    `adj.fill(0, 0, ${parameterOffset}).fill(0, ${parameterOffset + parameterCount});`,
    ...reused.map((slot) => `adj[${slot}] = 0;`),
    `${adjoint(root)} += 1;`,
    'let g;',
    ...backward.reverse(),
    ...reused.map((slot) => `gradients[${slot - parameterOffset}] += adj[${slot}];`),
    `return s[${root}];`,
    '};',
  ].join('\n');
  return { source, evaluators };
}
