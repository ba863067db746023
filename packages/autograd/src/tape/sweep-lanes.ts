// A tape swept backwards for many examples at once: each step over its lanes, every lane doing
// what `sweepTape` does for its example, in the same order. A weight's gradient gains its lanes'
// parts in lane order, as one example after another would add them.
import { Code } from './codes.js';
import type { Lanes } from './lanes.js';
import { sweepNeuronLanes } from './neuron-lanes.js';
import { sweepNeuronSimd } from './neuron-simd.js';
import { numericPartialsOf } from '../op.js';

/**
 * Reverse mode over lanes that `runLanes` has just run on `count` examples: adds each example's
 * d(first root)/d(parameter) to `gradients`, one example after another, as `sweepTape` would
 * for each in turn.
 */
export function sweepLanes(lanes: Lanes, count: number, gradients: Float64Array): void {
  const { tape, width, rowOf, adjoints: adj } = lanes;
  const { codes, results, rows } = tape;
  const { simd } = lanes;
  if (simd !== undefined) {
    if (gradients !== simd.gradients) simd.gradients.set(gradients);
    simd.transposedFrom = -1; // (the lanes' values are new)
  }
  adj.fill(0);
  const root = rowOf[tape.roots[0]!]! * width;
  adj.fill(1, root, root + count);
  for (let k = codes.length - 1; k >= 0; k--) {
    const y = rowOf[results[k]!]! * width;
    const row = rows[k]!;
    if (codes[k] === Code.sum) {
      if (lanes.inputRow[row]! < 0) sweepSumLanes(lanes, row, y, count);
      else if (simd === undefined) sweepNeuronLanes(lanes, row, y, count, gradients);
      else if (simd.pairedWith[k] !== -2) sweepNeuronSimd(lanes, k, simd.pairedWith[k]!, count);
      continue;
    }
    sweepOpLanes(lanes, k, y, count);
  }
  if (simd !== undefined && gradients !== simd.gradients) gradients.set(simd.gradients);
  // The parameters read lane by lane: each lane's adjoint, in lane order.
  const { broadcastParameters } = lanes;
  const { parameterOffset } = tape;
  for (let i = 0; i < broadcastParameters.length; i++) {
    const p = broadcastParameters[i]!;
    const at = rowOf[parameterOffset + p]! * width;
    let sum = gradients[p]!;
    for (let e = 0; e < count; e++) sum += adj[at + e]!;
    gradients[p] = sum;
  }
}

/**
 * Op step k backwards over the lanes, given their adjoints at y: each lane's inputs gain g ×
 * d(step)/d(input), skipping a lane whose g is 0, as `sweepTape` does. The partials `partial`
 * inlines, inline here too, in loops of their own; the others by the op's numeric partials.
 */
function sweepOpLanes(lanes: Lanes, k: number, y: number, count: number): void {
  const { tape, width, rowOf, adjoints: adj, values: v } = lanes;
  const row = tape.rows[k]!;
  const second = tape.ops.b[row]!;
  const a = rowOf[tape.ops.a[row]!]! * width;
  const b = second < 0 ? -1 : rowOf[second]! * width;
  switch (tape.codes[k]) {
    case Code.add:
      for (let e = 0; e < count; e++) {
        const g = adj[y + e]!;
        if (g === 0) continue;
        adj[a + e]! += g * 1;
        adj[b + e]! += g * 1;
      }
      return;
    case Code.mul:
      for (let e = 0; e < count; e++) {
        const g = adj[y + e]!;
        if (g === 0) continue;
        adj[a + e]! += g * v[b + e]!;
        adj[b + e]! += g * v[a + e]!;
      }
      return;
    case Code.exp:
      for (let e = 0; e < count; e++) {
        const g = adj[y + e]!;
        if (g !== 0) adj[a + e]! += g * v[y + e]!;
      }
      return;
    case Code.tanh:
      for (let e = 0; e < count; e++) {
        const g = adj[y + e]!;
        if (g !== 0) adj[a + e]! += g * (1 - v[y + e]! * v[y + e]!);
      }
      return;
    case Code.sigmoid:
      for (let e = 0; e < count; e++) {
        const g = adj[y + e]!;
        if (g !== 0) adj[a + e]! += g * (v[y + e]! * (1 - v[y + e]!));
      }
      return;
  }
  const d = numericPartialsOf(tape.definitions![row]!);
  for (let e = 0; e < count; e++) {
    const g = adj[y + e]!;
    if (g === 0) continue;
    const ya = v[y + e]!;
    const av = v[a + e]!;
    const bv = b < 0 ? NaN : v[b + e]!;
    adj[a + e]! += g * d(0, ya, av, bv);
    if (b >= 0) adj[b + e]! += g * d(1, ya, av, bv);
  }
}

/** A sum that is not a neuron's, backwards: pair by pair, each side that needs it gains g × the other. */
function sweepSumLanes(lanes: Lanes, row: number, y: number, count: number): void {
  const { width, rowOf, values: v, adjoints: adj } = lanes;
  const { left, right, first, end } = lanes.tape.sums;
  const sides = lanes.tape.sums.sides[row]!;
  for (let p = first[row]!; p < end[row]!; p++) {
    const l = rowOf[left[p]!]! * width;
    const r = rowOf[right[p]!]! * width;
    for (let e = 0; e < count; e++) {
      const g = adj[y + e]!;
      if (g === 0) continue;
      if (sides & 1) adj[l + e]! += g * v[r + e]!;
      if (sides & 2) adj[r + e]! += g * v[l + e]!;
    }
  }
}
