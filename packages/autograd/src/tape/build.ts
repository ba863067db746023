import { placeIn } from '../graph.js';
import { ops } from '../ops/index.js';
import type { Value } from '../value.js';
import { Code, codeOf } from './codes.js';
import type { Layout } from './layout.js';
import { OpStepRows } from './op-step.js';
import { fusion, SumStepRows } from './sum-step.js';
import type { Tape } from './tape.js';

/**
 * The tape of laid-out graphs: their leaves in the layout's slots, then the constant 1, the other
 * constants, and a slot per step, one step per op node but for the nodes a sum of products takes
 * in (see `fusion`), each sum one step.
 */
export function buildTape(
  { order, inputs, parameters, slotAt: leafSlots }: Layout,
  roots: readonly Value[],
): Tape {
  const slotAt = Int32Array.from(leafSlots);
  const place = (node: Value) => placeIn(order, node);
  const absorbed = fusion(order, roots);
  const isAbsorbed = (node: Value) => absorbed[place(node)] === 1;
  const slotOf = (node: Value) => slotAt[place(node)]!;
  const parameterOffset = inputs.length;
  const one = parameterOffset + parameters.length;
  let next = one + 1;
  const constants: [number, number][] = [[one, 1]];
  const opRows = new OpStepRows();
  const sumRows = new SumStepRows(slotOf, isAbsorbed, one);
  const codes: number[] = [];
  const results: number[] = [];
  const rows: number[] = [];
  order.forEach((node, i) => {
    if (slotAt[i] !== -1 || absorbed[i] === 1) return;
    if (node.op === undefined) {
      constants.push([next, node.value]);
    } else if (node.op === ops.dot.op || (node.op === ops.add.op && node.inputs.some(isAbsorbed))) {
      codes.push(Code.sum);
      rows.push(sumRows.add(node));
      results.push(next);
    } else {
      codes.push(codeOf(node.op));
      rows.push(opRows.add(node.op, node.inputs.map(slotOf)));
      results.push(next);
    }
    slotAt[i] = next++;
  });
  const slots = new Float64Array(next);
  for (const [at, value] of constants) slots[at] = value;
  parameters.forEach((p, j) => (slots[parameterOffset + j] = p.value));
  // Which slots need an adjoint: those that depend on a parameter. A sum of products hands the
  // adjoint only to the side that needs it (a first layer's inputs need none).
  const needs = new Uint8Array(next).fill(1, parameterOffset, one);
  const opSteps = opRows.table();
  const sides: number[] = [];
  codes.forEach((code, k) => {
    const row = rows[k]!;
    if (code === Code.sum) {
      sides[row] = sumRows.sides(row, needs);
      needs[results[k]!] = sides[row] === 0 ? 0 : 1;
    } else {
      const operands = opRows.wide.get(row) ?? [opSteps.a[row]!, opSteps.b[row]!];
      needs[results[k]!] = operands.some((s) => s >= 0 && needs[s] === 1) ? 1 : 0;
    }
  });
  const rootSlots = Int32Array.from(roots, slotOf);
  const reused = reads(parameterOffset, parameters.length, [
    opSteps.a,
    opSteps.b,
    ...opRows.wide.values(),
    ...sumRows.operands(),
    rootSlots.subarray(0, 1),
  ]);
  // A weight of a neuron's loops: a parameter read there only (1), or read by others too (2).
  const weightOf = (s: number) =>
    s >= parameterOffset && s < one ? 1 + reused[s - parameterOffset]! : 0;
  return {
    slots,
    parameterOffset,
    parameters: slots.subarray(parameterOffset, one),
    roots: rootSlots,
    codes: Int32Array.from(codes),
    results: Int32Array.from(results),
    rows: Int32Array.from(rows),
    ops: opSteps,
    sums: sumRows.table(Uint8Array.from(sides), weightOf),
    reused,
    reusedParameters: Int32Array.from(indicesOf(reused)),
    definitions: opRows.definitions,
    wide: opRows.wide,
  };
}

/** 1 for each of `count` parameters from slot `offset` that more than one of these slots reads. */
function reads(offset: number, count: number, lists: ArrayLike<number>[]): Uint8Array {
  const uses = new Uint8Array(count);
  for (const list of lists) {
    // (by index: an iterator over millions of slots allocates a result per slot until optimised)
    for (let i = 0; i < list.length; i++) {
      const p = list[i]! - offset;
      if (p >= 0 && p < count && uses[p]! < 2) uses[p]!++;
    }
  }
  return uses.map((n) => (n > 1 ? 1 : 0));
}

function indicesOf(mask: Uint8Array): number[] {
  const indices: number[] = [];
  mask.forEach((bit, i) => bit === 1 && indices.push(i));
  return indices;
}
