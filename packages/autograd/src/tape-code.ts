import { sumOfProducts } from './run-tape.js';
import { sweepEvenProducts, sweepPair } from './sweep.js';
import { dotStep, type Tape } from './tape.js';

/** A tape as one function: the loss for the inputs, and (given sums) its gradients added to them. */
export type TapeKernel = (x: ArrayLike<number>, gradients?: Float64Array) => number;

/**
 * The most JavaScript written for one tape, in characters. V8 optimises a function of up to 60 KB
 * of bytecode (about 35,000 characters here), but the larger the function, the longer it runs
 * unoptimised first: 2-12-12-1 with every sum written out (17,700 characters) trains 10% faster
 * than with its long sums called, but its first ten epochs take 90 ms instead of 44 (37 on the
 * interpreted tape). 2-8-8-1 fits with every sum written out, 2-16-16-1 with its short sums
 * written out and its long ones called; a larger network's tape is interpreted, its time going
 * to the sums' loops anyway (2-32-32-1 written out trains no faster, and starts 25 ms slower).
 */
const largestSource = 16_000;

/** When the long sums are called rather than written out: sums of more than this many pairs. */
const longestShortSum = 8;

/**
 * The functions that make kernels, by their source, the last `mostMakers` written: a second
 * network of the same shape runs the code V8 has already optimised.
 */
const makers = new Map<string, KernelMaker>();
const mostMakers = 32;
type KernelMaker = (...context: unknown[]) => TapeKernel;

/**
 * The tape's forward run and reverse sweep written out as JavaScript, every slot a number in the
 * code: the same steps in the same order as `runTape` and `sweepTape` (long sums of products by
 * their very functions), so the same numbers to the bit, without dispatching on each step's code.
 * Returns `undefined` for a tape too long to optimise as one function, unless `always`; throws if
 * the environment forbids generated code.
 */
export function tapeKernel(tape: Tape, always = false): TapeKernel | undefined {
  const source =
    tapeSource(tape, Infinity, largestSource) ??
    tapeSource(tape, longestShortSum, always ? Infinity : largestSource);
  if (source === undefined) return undefined;
  let make = makers.get(source);
  if (make === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the kernel is generated code
    make = new Function('tape', 's', 'adj', 'dot', 'sweepDot', 'sweepPair', source) as KernelMaker;
    if (makers.size === mostMakers) makers.delete(makers.keys().next().value!); // the oldest
    makers.set(source, make);
  }
  const adjoints = new Float64Array(tape.slots.length);
  return make(tape, tape.slots, adjoints, sumOfProducts, sweepEvenProducts, sweepPair);
}

/**
 * The kernel's body, over the tape, its slots `s` and the adjoints `adj`, with sums of up to
 * `longestWrittenSum` pairs written out; `undefined` once it grows past `budget` characters.
 */
function tapeSource(tape: Tape, longestWrittenSum: number, budget: number): string | undefined {
  const { opCodes, parameterOffset } = tape;
  const parameterCount = tape.parameters.length;
  /** Where a slot's adjoint goes: a parameter's is its gradient. */
  const adjoint = (slot: number) =>
    slot >= parameterOffset && slot < parameterOffset + parameterCount
      ? `gradients[${slot - parameterOffset}]`
      : `adj[${slot}]`;
  const forward: string[] = [];
  const backward: string[] = [];
  let length = 0;
  for (let k = 0; k < opCodes.length; k++) {
    const [run, sweep] =
      opCodes[k] === dotStep
        ? sumCode(tape, k, longestWrittenSum, adjoint)
        : opCode(tape, k, adjoint);
    const back = `g = adj[${tape.results[k]!}]; if (g !== 0) { ${sweep} }`;
    forward.push(run);
    backward.push(back);
    if ((length += run.length + back.length) > budget) return undefined;
  }
  const root = tape.rootSlots[0]!;
  return [
    '"use strict";',
    'return function tapeKernel(x, gradients) {',
    `for (let i = 0; i < ${parameterOffset}; i++) s[i] = x[i];`,
    ...forward,
    `if (gradients === undefined) return s[${root}];`,
    `adj.fill(0, 0, ${parameterOffset}).fill(0, ${parameterOffset + parameterCount});`,
    `${adjoint(root)} += 1;`,
    'let g;',
    ...backward.reverse(),
    `return s[${root}];`,
    '};',
  ].join('\n');
}

/** An op's step: its line forward, and backwards what it adds to its inputs' adjoints (given g). */
function opCode(tape: Tape, k: number, adjoint: (slot: number) => string): [string, string] {
  const [a, b] = [tape.firstOperand[k]!, tape.secondOperand[k]!];
  const operands = b < 0 ? [a] : [a, b];
  const code = operands.map((slot) => `s[${slot}]`);
  const y = `s[${tape.results[k]!}]`;
  const op = tape.ops[k]!;
  const run = `${y} = ${op.emit?.(...code) ?? `tape.ops[${k}].evaluate(${code.join(', ')})`};`;
  const values = { y, a: code[0]!, b: code[1] ?? 'NaN' };
  const sweep = operands.map(
    (slot, index) => `${adjoint(slot)} += g * ${partial(tape.opCodes[k]!, k, index, values)};`,
  );
  return [run, sweep.join(' ')];
}

/**
 * A sum of products' step: written out if it has up to `longest` pairs, else by `sumOfProducts`
 * and `sweepTape`'s own functions.
 */
function sumCode(
  tape: Tape,
  k: number,
  longest: number,
  adjoint: (slot: number) => string,
): [string, string] {
  const [first, end, result] = [tape.firstOperand[k]!, tape.secondOperand[k]!, tape.results[k]!];
  if (end - first <= longest) {
    return [`s[${result}] = ${writtenSum(tape, k)};`, writtenSweep(tape, k, adjoint)];
  }
  const sweep =
    tape.leftStart[k]! >= 0
      ? `sweepDot(tape, adj, gradients, ${k}, g); sweepPair(tape, adj, gradients, ${k}, g, ${end - 1});`
      : `for (let p = ${first}; p < ${end}; p++) sweepPair(tape, adj, gradients, ${k}, g, p);`;
  return [`s[${result}] = dot(tape, ${k}, ${first}, ${end});`, sweep];
}

/**
 * d(step k)/d(its input `index`) as code over its value `y` and inputs `a`, `b`: the commonest
 * ops as `sweepTape`'s `partialOf` writes them (by the same op codes; the op table test checks
 * both), the others by their numeric partials.
 */
function partial(
  code: number,
  k: number,
  index: number,
  { y, a, b }: { y: string; a: string; b: string },
): string {
  switch (code) {
    case 0: // add
      return '1';
    case 1: // mul
      return index === 0 ? b : a;
    case 5: // exp
      return y;
    case 13: // tanh
      return `(1 - ${y} * ${y})`;
    case 14: // sigmoid
      return `(${y} * (1 - ${y}))`;
    default:
      return `tape.ops[${k}].numericPartial(${index}, ${y}, ${a}, ${b})`;
  }
}

/** A short sum of products written out, added left to right as `sumOfProducts` adds it. */
function writtenSum({ left, right, firstOperand, secondOperand }: Tape, k: number): string {
  const products: string[] = [];
  for (let p = firstOperand[k]!; p < secondOperand[k]!; p++) {
    products.push(`s[${left[p]!}] * s[${right[p]!}]`);
  }
  return products.join(' + ');
}

/** A short sum of products backwards, pair by pair as `sweepTape` goes: each side that needs it gains g × the other. */
function writtenSweep(tape: Tape, k: number, adjoint: (slot: number) => string): string {
  const { left, right, sides } = tape;
  let code = '';
  for (let p = tape.firstOperand[k]!; p < tape.secondOperand[k]!; p++) {
    if (sides[k]! & 1) code += `${adjoint(left[p]!)} += g * s[${right[p]!}]; `;
    if (sides[k]! & 2) code += `${adjoint(right[p]!)} += g * s[${left[p]!}]; `;
  }
  return code;
}
