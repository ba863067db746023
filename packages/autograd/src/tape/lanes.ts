// A tape run for many examples at once: each number that differs from example to example has a
// row of lanes, one lane per example, and each step runs over its lanes (see run-lanes.ts and
// sweep-lanes.ts). The parameters and constants stay single numbers on the tape.
import { AutogradError, describe } from '../errors.js';
import { Code } from './codes.js';
import { neuronTable, pairNeurons, type NeuronTable } from './neuron-simd.js';
import { neuronKernels, type NeuronKernels } from './simd.js';
import type { Tape } from './tape.js';

/**
 * A tape's lanes: the rows of numbers for up to `width` examples at once, row r's lane e at
 * `values[r * width + e]`, and what each step needs to find its operands' rows.
 */
export interface Lanes {
  /** The tape whose steps run; its constants are read from its slots. */
  readonly tape: Tape;
  /**
   * The parameters the lanes read: their own, a copy of the tape's when made (in the memory the
   * WebAssembly loops work in, where they run).
   */
  readonly parameters: Float64Array;
  /** The most examples a run takes. */
  readonly width: number;
  /**
   * Each slot's row: the inputs' and the steps' results' own, and for a parameter or constant
   * that a step reads lane by lane, a row it is copied into at each run; else -1.
   */
  readonly rowOf: Int32Array;
  /** The parameters and constants with rows (see `rowOf`), copied into every lane at each run. */
  readonly broadcast: Int32Array;
  /** The parameters among `broadcast`, by index: each lane's adjoint is added to its gradient. */
  readonly broadcastParameters: Int32Array;
  /** Every row's lanes. */
  readonly values: Float64Array;
  /** Every row's adjoints, lane by lane, during a sweep. */
  readonly adjoints: Float64Array;
  /**
   * By sum row, for a neuron's loops (`SumSteps.leftStart`): the row of its first input, else -1
   * (a sum whose inputs' rows are not evenly spaced runs pair by pair).
   */
  readonly inputRow: Int32Array;
  /** The spacing of its inputs' rows, when `inputRow` is not -1. */
  readonly inputRowStride: Int32Array;
  /** Scratch: the lanes whose adjoint is not 0 at a step of a sweep. */
  readonly active: Int32Array;
  /** The neurons' loops as WebAssembly (see simd.ts), where it runs; else they run as JavaScript. */
  readonly simd: Simd | undefined;
}

/**
 * What the WebAssembly loops work in: one memory holding the lanes' parameters, gradient sums,
 * the lanes' `values` and `adjoints` themselves, a transposed block of inputs, a batch's inputs as
 * given and the list of active lanes. Addresses are in bytes.
 */
export interface Simd {
  /** The loops, over this memory. */
  readonly kernels: NeuronKernels;
  /**
   * Gradient sums in the memory: a sweep adds to them directly when they are the sums it is
   * given, else copies the given sums in at its start and out at its end.
   */
  readonly gradients: Float64Array;
  /** Each active lane's inputs to a neuron, one lane after another (see `weightGradients`). */
  readonly transposed: Float64Array;
  /**
   * A batch's inputs as given, example after example: put into lanes from here (see `intoLanes`),
   * and a first layer's inputs lane by lane as they are (see `weightGradients`).
   */
  readonly staged: Float64Array;
  /** Which inputs `transposed` holds now: their first row's index in `values`, or -1. */
  transposedFrom: number;
  /** And their spacing. */
  transposedStep: number;
  /** And how many there are. */
  transposedCount: number;
  /**
   * By step: for a neuron run together with the next (same inputs), that one's step; -2 for that
   * next one (run with it); else -1. See `pairNeurons`.
   */
  pairedWith: Int32Array;
  /** Each neuron step's places (see `neuronTable`). */
  neurons: NeuronTable;
  /** Where each array starts in the memory (`every`: the lanes 0, 1, … listed, as i32s). */
  readonly at: Readonly<Record<'parameters' | 'gradients' | 'values' | 'adjoints', number>> & {
    readonly transposed: number;
    readonly staged: number;
    readonly active: number;
    readonly every: number;
  };
}

/**
 * The lanes for running `tape` on up to `width` examples at once; a neuron's loops run as
 * WebAssembly where it runs, unless `simd` is false.
 */
export function lanesOf(tape: Tape, width: number, simd = true): Lanes {
  const { slots, parameterOffset, parameters, codes, rows, results, ops, sums } = tape;
  const firstShared = parameterOffset;
  const rowOf = new Int32Array(slots.length).fill(-1);
  let next = 0;
  for (let slot = 0; slot < firstShared; slot++) rowOf[slot] = next++;
  for (let k = 0; k < codes.length; k++) rowOf[results[k]!] = next++;
  // A parameter or constant gets a row when a step reads it lane by lane: every operand but the
  // weights of a neuron's loops, which are read once per run.
  const shared: number[] = [];
  const read = (slot: number) => {
    if (slot >= 0 && rowOf[slot] === -1) {
      rowOf[slot] = next++;
      shared.push(slot);
    }
  };
  const inputRow = new Int32Array(sums.first.length).fill(-1);
  const inputRowStride = new Int32Array(sums.first.length);
  for (let k = 0; k < codes.length; k++) {
    const row = rows[k]!;
    if (codes[k] !== Code.sum) {
      read(ops.a[row]!);
      read(ops.b[row]!);
      for (const slot of tape.wide?.get(row) ?? []) read(slot);
      continue;
    }
    const [from, to] = [sums.first[row]!, sums.end[row]!];
    // (shared weights take each example's adjoint in lanes of their own: read pair by pair)
    const evenRows =
      sums.leftStart[row]! >= 0 &&
      sums.sharedWeights[row] === 0 &&
      evenlySpacedRows(tape, rowOf, row);
    if (evenRows) {
      inputRow[row] = rowOf[sums.right[from]!]!;
      inputRowStride[row] = rowOf[sums.right[from + 1]!]! - inputRow[row];
      read(sums.right[to - 1]!); // (its last pair's left is a weight too)
    } else {
      for (let p = from; p < to; p++) [sums.left[p]!, sums.right[p]!].forEach(read);
    }
  }
  for (const root of tape.roots) read(root);
  const isParameter = (slot: number) =>
    slot >= parameterOffset && slot < parameterOffset + parameters.length;
  const rowsOf = next;
  let widest = 0;
  for (let row = 0; row < inputRow.length; row++) {
    if (inputRow[row]! >= 0) widest = Math.max(widest, sums.end[row]! - sums.first[row]!);
  }
  const memory = lanesMemory(
    [parameters.length, rowsOf * width, widest * width, parameterOffset * width],
    width,
    simd && widest > 0,
  );
  memory.parameters.set(parameters);
  const lanes: Lanes = {
    tape,
    width,
    rowOf,
    broadcast: Int32Array.from(shared),
    broadcastParameters: Int32Array.from(
      shared.filter(isParameter).map((slot) => slot - parameterOffset),
    ),
    inputRow,
    inputRowStride,
    ...memory,
  };
  if (lanes.simd !== undefined) {
    lanes.simd.neurons = neuronTable(lanes);
    lanes.simd.pairedWith = pairNeurons(lanes);
  }
  return lanes;
}

/**
 * The lanes' arrays, and the WebAssembly loops where they run (a neuron's loops are the lanes'
 * hot path): then the arrays are views of the one memory the loops work in.
 */
function lanesMemory(
  [parameters, lanes, transposed, staged]: [number, number, number, number],
  width: number,
  simd: boolean,
) {
  const doubles = [parameters, parameters, lanes, lanes, transposed, staged];
  const bytes = doubles.reduce((sum, n) => sum + n * 8, 0) + width * 8;
  const memory = simd ? neuronKernels(bytes) : undefined;
  if (memory === undefined) {
    return {
      parameters: new Float64Array(parameters),
      values: new Float64Array(lanes),
      adjoints: new Float64Array(lanes),
      active: new Int32Array(width),
      simd: undefined,
    };
  }
  const { buffer, kernels } = memory;
  const starts: number[] = [];
  doubles.reduce((at, n) => (starts.push(at), at + n * 8), 0);
  const [p, g, v, a, t, s] = starts as [number, number, number, number, number, number];
  const view = (at: number, n: number) => new Float64Array(buffer, at, n);
  const active = s + staged * 8;
  const every = active + width * 4;
  new Int32Array(buffer, every, width).forEach((_, e, all) => (all[e] = e));
  return {
    parameters: view(p, parameters),
    values: view(v, lanes),
    adjoints: view(a, lanes),
    active: new Int32Array(buffer, active, width),
    simd: {
      kernels,
      gradients: view(g, parameters),
      transposed: view(t, transposed),
      staged: view(s, staged),
      transposedFrom: -1,
      transposedStep: 0,
      transposedCount: 0,
      pairedWith: new Int32Array(0),
      neurons: undefined as unknown as NeuronTable, // (filled in by lanesOf)
      at: {
        parameters: p,
        gradients: g,
        values: v,
        adjoints: a,
        transposed: t,
        staged: s,
        active,
        every,
      },
    },
  };
}

/** Whether a neuron's inputs (all its right slots but the last) have rows evenly spaced. */
function evenlySpacedRows(tape: Tape, rowOf: Int32Array, row: number): boolean {
  const { first, end, right } = tape.sums;
  const [from, last] = [first[row]!, end[row]! - 1];
  if (last - from < 2) return false;
  const stride = rowOf[right[from + 1]!]! - rowOf[right[from]!]!;
  for (let p = from; p < last; p++) {
    const at = rowOf[right[p]!]!;
    if (at < 0 || at !== rowOf[right[from]!]! + stride * (p - from)) return false;
  }
  return stride !== 0;
}

/** Checks a batched call: a whole number of examples from 1 to the width, and their inputs. */
export function checkBatch(who: string, lanes: Lanes, x: ArrayLike<number>, count: number): void {
  const inputCount = lanes.tape.parameterOffset;
  if (!Number.isInteger(count) || count < 1 || count > lanes.width) {
    throw new AutogradError(
      `${who} takes 1 to ${lanes.width} examples at once, got ${describe(count)}`,
    );
  }
  if (typeof x?.length !== 'number' || x.length < count * inputCount) {
    throw new AutogradError(
      `${who} takes ${inputCount} inputs per example, ${count * inputCount} for ${count}, got ${describe(x)}`,
    );
  }
}

/** Checks a batch's width: a whole number above 0. */
export function checkWidth(who: string, width: number): void {
  if (!Number.isInteger(width) || width < 1) {
    throw new AutogradError(
      `${who} needs a whole number of examples above 0, got ${describe(width)}`,
    );
  }
}
