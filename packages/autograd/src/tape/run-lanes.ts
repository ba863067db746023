// A tape run forward for many examples at once: each step over its lanes, every lane computing
// what `runTape` computes for its example, in the same order, so the same numbers to the bit.
import { Code } from './codes.js';
import type { Lanes } from './lanes.js';
import { neuronLanes } from './neuron-lanes.js';
import { neuronSimd } from './neuron-simd.js';

/**
 * Runs `count` examples (at most the lanes' width) forward: example e's inputs are
 * `x[e * inputs + i]`; its first `roots` roots (all, by default) go to `out[e * roots + r]`.
 */
export function runLanes(
  lanes: Lanes,
  x: ArrayLike<number>,
  count: number,
  out: Float64Array,
  roots = lanes.tape.roots.length,
) {
  const { tape, width, rowOf, values: v, broadcast } = lanes;
  const { slots, codes, results, rows, ops, sums, parameterOffset: inputCount } = tape;
  if (lanes.simd === undefined) {
    for (let i = 0; i < inputCount; i++) {
      const at = rowOf[i]! * width;
      for (let e = 0; e < count; e++) v[at + e] = x[e * inputCount + i]!;
    }
  } else stage(lanes, x, count);
  const { parameters } = lanes;
  for (let s = 0; s < broadcast.length; s++) {
    const slot = broadcast[s]!;
    const p = slot - inputCount;
    const value = p >= 0 && p < parameters.length ? parameters[p]! : slots[slot]!;
    v.fill(value, rowOf[slot]! * width, rowOf[slot]! * width + count);
  }
  for (let k = 0; k < codes.length; k++) {
    const y = rowOf[results[k]!]! * width;
    const row = rows[k]!;
    if (codes[k] === Code.sum) {
      if (lanes.inputRow[row]! < 0) sumLanes(lanes, sums.first[row]!, sums.end[row]!, y, count);
      else if (lanes.simd === undefined) neuronLanes(lanes, row, y, count);
      else if (lanes.simd.pairedWith[k] !== -2)
        neuronSimd(lanes, k, lanes.simd.pairedWith[k]!, count);
      continue;
    }
    const a = rowOf[ops.a[row]!]! * width;
    const b = ops.b[row]! < 0 ? -1 : rowOf[ops.b[row]!]! * width;
    opLanes(lanes, codes[k]!, row, v, y, a, b, count);
  }
  for (let r = 0; r < roots; r++) {
    const at = rowOf[tape.roots[r]!]! * width;
    for (let e = 0; e < count; e++) out[e * roots + r] = v[at + e]!;
  }
}

/**
 * The batch's inputs into the WebAssembly memory as given, then into their lanes there (input i
 * is slot i, its row i): one copy in JavaScript, one in WebAssembly, each in order.
 */
function stage(lanes: Lanes, x: ArrayLike<number>, count: number): void {
  const { kernels, at, staged } = lanes.simd!;
  const n = lanes.tape.parameterOffset;
  const length = count * n;
  if (x instanceof Float64Array) staged.set(x.length === length ? x : x.subarray(0, length));
  else for (let j = 0; j < length; j++) staged[j] = x[j]!;
  kernels.intoLanes(at.staged, count, n, at.values, lanes.width * 8);
}

/** An op step of an op you defined (or of more than two inputs), by its `evaluate`, lane by lane. */
function definedLanes(lanes: Lanes, row: number, y: number, count: number): void {
  const { tape, width, rowOf, values: v } = lanes;
  const op = tape.definitions![row]!;
  const operands =
    tape.wide?.get(row) ?? [tape.ops.a[row]!, tape.ops.b[row]!].filter((s) => s >= 0);
  const at = operands.map((slot) => rowOf[slot]! * width);
  for (let e = 0; e < count; e++) v[y + e] = op.evaluate(...at.map((r) => v[r + e]!));
}

/**
 * Op step `row` (of code `code`) over the lanes: y = op(a, b) lane by lane, the rows at y, a and
 * b (-1 for none). A function of its own, small and called at every step, so that V8 optimises it
 * in the first batches.
 */
function opLanes(
  lanes: Lanes,
  code: number,
  row: number,
  v: Float64Array,
  y: number,
  a: number,
  b: number,
  count: number,
): void {
  // Each built-in op as `runTape` computes it, over the lanes.
  switch (code) {
    case Code.add:
      for (let e = 0; e < count; e++) v[y + e] = v[a + e]! + v[b + e]!;
      break;
    case Code.neg:
      for (let e = 0; e < count; e++) v[y + e] = -v[a + e]!;
      break;
    case Code.mul:
      for (let e = 0; e < count; e++) v[y + e] = v[a + e]! * v[b + e]!;
      break;
    case Code.div:
      for (let e = 0; e < count; e++) v[y + e] = v[a + e]! / v[b + e]!;
      break;
    case Code.pow:
      for (let e = 0; e < count; e++) v[y + e] = v[a + e]! ** v[b + e]!;
      break;
    case Code.exp:
      for (let e = 0; e < count; e++) v[y + e] = Math.exp(v[a + e]!);
      break;
    case Code.log:
      for (let e = 0; e < count; e++) v[y + e] = Math.log(v[a + e]!);
      break;
    case Code.sqrt:
      for (let e = 0; e < count; e++) v[y + e] = Math.sqrt(v[a + e]!);
      break;
    case Code.abs:
      for (let e = 0; e < count; e++) v[y + e] = Math.abs(v[a + e]!);
      break;
    case Code.sign:
      for (let e = 0; e < count; e++) v[y + e] = Math.sign(v[a + e]!);
      break;
    case Code.step:
      for (let e = 0; e < count; e++) {
        const z = v[a + e]!;
        v[y + e] = z > 0 ? 1 : z <= 0 ? 0 : NaN;
      }
      break;
    case Code.sin:
      for (let e = 0; e < count; e++) v[y + e] = Math.sin(v[a + e]!);
      break;
    case Code.cos:
      for (let e = 0; e < count; e++) v[y + e] = Math.cos(v[a + e]!);
      break;
    case Code.tanh:
      for (let e = 0; e < count; e++) v[y + e] = Math.tanh(v[a + e]!);
      break;
    case Code.sigmoid:
      for (let e = 0; e < count; e++) v[y + e] = 1 / (1 + Math.exp(-v[a + e]!));
      break;
    case Code.relu:
      for (let e = 0; e < count; e++) v[y + e] = Math.max(0, v[a + e]!);
      break;
    case Code.max:
      for (let e = 0; e < count; e++) v[y + e] = Math.max(v[a + e]!, v[b + e]!);
      break;
    case Code.mulNoNan:
      for (let e = 0; e < count; e++) {
        const p = v[a + e]!;
        const q = v[b + e]!;
        v[y + e] = p === 0 || q === 0 ? 0 : p * q;
      }
      break;
    default:
      definedLanes(lanes, row, y, count);
  }
}

/** A sum that is not a neuron's, forward over the lanes: pair by pair, each lane's sum in order. */
function sumLanes(lanes: Lanes, from: number, to: number, y: number, count: number): void {
  const { width, rowOf, values: v } = lanes;
  const { left, right } = lanes.tape.sums;
  const l0 = rowOf[left[from]!]! * width;
  const r0 = rowOf[right[from]!]! * width;
  for (let e = 0; e < count; e++) v[y + e] = v[l0 + e]! * v[r0 + e]!;
  for (let p = from + 1; p < to; p++) {
    const l = rowOf[left[p]!]! * width;
    const r = rowOf[right[p]!]! * width;
    for (let e = 0; e < count; e++) v[y + e]! += v[l + e]! * v[r + e]!;
  }
}
