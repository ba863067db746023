import type { Op, Value } from './value.js';

/**
 * The fallback: a flat tape over one Float64Array of slots (inputs, parameters, constants, then
 * one per op node), run by `runTape`, a loop that calls each op's `evaluate`.
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
  const firstOperand = Int32Array.from(operands, (o) => o[0]!);
  const secondOperand = Int32Array.from(operands, (o) => o[1] ?? -1);
  const rootSlots = Int32Array.from(roots, (root) => slot.get(root)!);
  return {
    slots,
    ops,
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
  const { slots, ops, operands, results, firstOperand, secondOperand, rootSlots } = tape;
  for (let i = 0; i < x.length; i++) slots[i] = x[i]!;
  slots.set(tape.parameterArray, tape.parameterOffset);
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    const arity = operands[k]!.length;
    slots[results[k]!] =
      arity === 1
        ? op.evaluate(slots[firstOperand[k]!]!)
        : arity === 2
          ? op.evaluate(slots[firstOperand[k]!]!, slots[secondOperand[k]!]!)
          : op.evaluate(...operands[k]!.map((s) => slots[s]!));
  }
  for (let i = 0; i < rootSlots.length; i++) out[i] = slots[rootSlots[i]!]!;
}
