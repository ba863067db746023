// The step that applies one op to slots: its build, its reverse sweep and its written form, side
// by side. Its forward run is inline in `runTape`'s loop (see run.ts), for speed, but for the ops
// it does not know, run here.
import { expressions, type Evaluator } from '../codegen.js';
import { numericPartialsOf } from '../op.js';
import { Variable, type Op } from '../value.js';
import { Code } from './codes.js';
import { addAdjoint, type OpSteps, type Tape } from './tape.js';

/** The op steps of a tape being built, row by row. */
export class OpStepRows {
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  /** The op of each row. */
  readonly definitions: Op[] = [];
  /** The operands of each row of more than two. */
  readonly wide = new Map<number, readonly number[]>();

  /** Adds a step of `op` over these operand slots; returns its row. */
  add(op: Op, operands: readonly number[]): number {
    const row = this.a.length;
    this.a.push(operands[0]!);
    this.b.push(operands.length === 2 ? operands[1]! : -1);
    this.definitions.push(op);
    if (operands.length > 2) this.wide.set(row, operands);
    return row;
  }

  /** The rows as the tape keeps them. */
  table(): OpSteps {
    return { a: Int32Array.from(this.a), b: Int32Array.from(this.b) };
  }
}

/**
 * An op step's value by its op's own `evaluate`: what the interpreter does for an op you
 * defined, or one of more than two inputs (it computes the built-in ops inline, see `runTape`).
 */
export function definedValue(tape: Tape, row: number, a: number, b: number): number {
  const op = tape.definitions![row]!;
  const wide = tape.wide!.get(row);
  if (wide !== undefined) return op.evaluate(...wide.map((slot) => tape.slots[slot]!));
  return tape.ops.b[row]! < 0 ? op.evaluate(a) : op.evaluate(a, b);
}

/**
 * Step k backwards, given its adjoint g: each input that needs it gains g × d(step)/d(input), the
 * commonest ops' partials inline as their files write them (the op table test checks the sweep
 * against `grad`), the others by the numbers their `partials` give (`numericPartialsOf`), as the
 * written form computes them.
 */
export function sweepOp(
  tape: Tape,
  k: number,
  g: number,
  adjoints: Float64Array,
  gradients: Float64Array,
): void {
  const { slots, ops } = tape;
  const row = tape.rows[k]!;
  const first = ops.a[row]!;
  const second = ops.b[row]!;
  const y = slots[tape.results[k]!]!;
  const a = slots[first]!;
  const b = second < 0 ? NaN : slots[second]!;
  addAdjoint(tape, adjoints, gradients, first, g * partial(tape, k, 0, y, a, b));
  if (second >= 0) addAdjoint(tape, adjoints, gradients, second, g * partial(tape, k, 1, y, a, b));
}

function partial(tape: Tape, k: number, index: number, y: number, a: number, b: number): number {
  switch (tape.codes[k]) {
    case Code.add:
      return 1;
    case Code.mul:
      return index === 0 ? b : a;
    case Code.exp:
      return y;
    case Code.tanh:
      return 1 - y * y;
    case Code.sigmoid:
      return y * (1 - y);
    default:
      return numericPartialsOf(tape.definitions![tape.rows[k]!]!)(index, y, a, b);
  }
}

/**
 * Step k written out: its line forward (by its op's `emit`, or a call to its `evaluate`), and
 * backwards what it adds to its inputs' adjoints (given g), each partial written from the op's
 * own `partials` by the ops' `emit`.
 */
export function writtenOp(
  tape: Tape,
  k: number,
  adjoint: (slot: number) => string,
  evaluators: Evaluator[],
): [string, string] {
  const row = tape.rows[k]!;
  const [first, second] = [tape.ops.a[row]!, tape.ops.b[row]!];
  const operands = second < 0 ? [first] : [first, second];
  const code = operands.map((slot) => `s[${slot}]`);
  const y = `s[${tape.results[k]!}]`;
  const op = tape.definitions![row]!;
  const run = `${y} = ${op.emit?.(...code) ?? `tape.definitions[${row}].evaluate(${code.join(', ')})`};`;
  const inputs = operands.map(() => new Variable(0));
  const output = new Variable(0);
  const leaves = new Map([[output, y], ...inputs.map((x, i) => [x, code[i]!] as const)]);
  const partials = expressions(op.partials(inputs, output), leaves, evaluators);
  const sweep = operands.map((slot, i) => `${adjoint(slot)} += g * ${partials[i]!};`);
  return [run, sweep.join(' ')];
}
