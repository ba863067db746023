import { ops } from './ops/index.js';
import type { Op, Value } from './value.js';

/**
 * The built-in ops' codes on the tape: `runTape` computes them inline, in a switch, exactly as
 * their `evaluate` does (the op table test checks it), instead of calling a closure per node.
 */
const codes = new Map<Op, number>(
  (
    [
      'add',
      'mul',
      'neg',
      'div',
      'pow',
      'exp',
      'log',
      'sqrt',
      'abs',
      'sign',
      'step',
      'sin',
      'cos',
      'tanh',
      'sigmoid',
      'relu',
      'max',
      'mulNoNan',
    ] as const
  ).map((name, code) => [ops[name].op, code]),
);

/** An op the switch does not know (one a user defined): it calls the op's `evaluate`. */
const generic = -1;

/**
 * The fallback: a flat tape over one Float64Array of slots (inputs, parameters, constants, then
 * one per op node), run by `runTape`, a loop that computes each built-in op by its code and calls
 * `evaluate` for the others.
 */
export function tape(
  order: readonly Value[],
  roots: readonly Value[],
  inputs: readonly Value[],
  parameters: readonly Value[],
  parameterArray: Float64Array,
): Tape {
  const slot = new Map<Value, number>();
  inputs.forEach((leaf, i) => slot.set(leaf, i));
  parameters.forEach((leaf, i) => slot.set(leaf, inputs.length + i));
  const values: number[] = [];
  const ops: Op[] = [];
  const operands: number[][] = [];
  let next = inputs.length + parameters.length;
  const constants: [number, number][] = [];
  for (const node of order) {
    if (slot.has(node)) continue;
    slot.set(node, next);
    if (node.op === undefined) constants.push([next, node.value]);
    else {
      ops.push(node.op);
      operands.push(node.inputs.map((input) => slot.get(input)!));
      values.push(next);
    }
    next++;
  }
  const slots = new Float64Array(next);
  for (const [at, value] of constants) slots[at] = value;
  const results = Int32Array.from(values);
  const opCodes = Int32Array.from(ops, (op) => codes.get(op) ?? generic);
  const firstOperand = Int32Array.from(operands, (o) => o[0]!);
  const secondOperand = Int32Array.from(operands, (o) => o[1] ?? -1);
  const rootSlots = Int32Array.from(roots, (root) => slot.get(root)!);
  return {
    slots,
    ops,
    opCodes,
    operands,
    results,
    firstOperand,
    secondOperand,
    rootSlots,
    parameterArray,
    parameterOffset: inputs.length,
  };
}

/** A tape: slots for every value, and per op its operands' and its result's slots. */
export interface Tape {
  slots: Float64Array;
  ops: Op[];
  /** Each op's code in the switch of `runTape`, or -1 to call its `evaluate`. */
  opCodes: Int32Array;
  operands: number[][];
  results: Int32Array;
  firstOperand: Int32Array;
  secondOperand: Int32Array;
  rootSlots: Int32Array;
  parameterArray: Float64Array;
  parameterOffset: number;
}

/** Runs a tape: the inputs and parameters into their slots, then every op in order. */
export function runTape(
  context: Float64Array | Tape,
  _evaluators: unknown,
  x: ArrayLike<number>,
  out: Float64Array,
): void {
  const tape = context as Tape;
  const { slots, opCodes, results, firstOperand, secondOperand, rootSlots } = tape;
  for (let i = 0; i < x.length; i++) slots[i] = x[i]!;
  slots.set(tape.parameterArray, tape.parameterOffset);
  const count = opCodes.length;
  for (let k = 0; k < count; k++) {
    const a = slots[firstOperand[k]!]!;
    const second = secondOperand[k]!;
    const b = second < 0 ? 0 : slots[second]!;
    let y: number;
    // As each op's `evaluate` computes it, to the bit.
    switch (opCodes[k]) {
      case 0:
        y = a + b;
        break; // add
      case 1:
        y = a * b;
        break; // mul
      case 2:
        y = -a;
        break; // neg
      case 3:
        y = a / b;
        break; // div
      case 4:
        y = a ** b;
        break; // pow
      case 5:
        y = Math.exp(a);
        break;
      case 6:
        y = Math.log(a);
        break;
      case 7:
        y = Math.sqrt(a);
        break;
      case 8:
        y = Math.abs(a);
        break;
      case 9:
        y = Math.sign(a);
        break;
      case 10:
        y = a > 0 ? 1 : a <= 0 ? 0 : NaN;
        break; // step
      case 11:
        y = Math.sin(a);
        break;
      case 12:
        y = Math.cos(a);
        break;
      case 13:
        y = Math.tanh(a);
        break;
      case 14:
        y = 1 / (1 + Math.exp(-a));
        break; // sigmoid
      case 15:
        y = Math.max(0, a);
        break; // relu
      case 16:
        y = Math.max(a, b);
        break; // max
      case 17:
        y = a === 0 || b === 0 ? 0 : a * b;
        break; // mulNoNan
      default:
        y = evaluateOp(tape, k);
    }
    slots[results[k]!] = y;
  }
  for (let i = 0; i < rootSlots.length; i++) out[i] = slots[rootSlots[i]!]!;
}

/** An op the switch does not know, by its own `evaluate`. */
function evaluateOp({ ops, operands, slots }: Tape, k: number): number {
  return ops[k]!.evaluate(...operands[k]!.map((s) => slots[s]!));
}
