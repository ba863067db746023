// A neuron's sum of products over lanes on the WebAssembly loops (simd.ts): the same steps as
// neuron-lanes.ts, in the same order per lane, with the bias pair and the odd case in JavaScript.
import type { Lanes } from './lanes.js';
import { activeLanes } from './neuron-lanes.js';

/** Sum `row` (a neuron's) forward into the lanes at `y`, its inputs' products by WebAssembly. */
export function neuronSimd(lanes: Lanes, row: number, y: number, count: number): void {
  const { tape, width, values: v, parameters } = lanes;
  const { sums, parameterOffset } = tape;
  const { kernels, at } = lanes.simd!;
  const n = sums.end[row]! - sums.first[row]! - 1;
  const w = sums.leftStart[row]! - parameterOffset;
  const x = lanes.inputRow[row]! * width;
  const step = lanes.inputRowStride[row]! * width;
  kernels.forward(
    at.values + y * 8,
    at.values + x * 8,
    step * 8,
    at.parameters + w * 8,
    n,
    count * 8,
  );
  const bias = parameters[w + n]!;
  const partner = lanes.rowOf[sums.right[sums.end[row]! - 1]!]! * width;
  for (let e = 0; e < count; e++) v[y + e]! += bias * v[partner + e]!;
}

/**
 * Sum `row` (a neuron's) backwards, given its adjoints at `y`, as `sweepNeuronLanes` does: the
 * weights' gradients by WebAssembly over the active lanes' inputs (transposed once per layer),
 * the inputs' adjoints by WebAssembly when every lane is active.
 */
export function sweepNeuronSimd(lanes: Lanes, row: number, y: number, count: number): void {
  const { tape, width, values: v, adjoints: adj, active: lane, parameters } = lanes;
  const simd = lanes.simd!;
  const { kernels, at, gradients } = simd;
  const active = activeLanes(lanes, y, count);
  if (active === 0) return;
  const { sums, parameterOffset } = tape;
  const n = sums.end[row]! - sums.first[row]! - 1;
  const w = sums.leftStart[row]! - parameterOffset;
  const x = lanes.inputRow[row]! * width;
  const step = lanes.inputRowStride[row]! * width;
  const partner = lanes.rowOf[sums.right[sums.end[row]! - 1]!]! * width;
  const sides = sums.sides[row]!;
  if (sides & 1) {
    if (simd.transposedFrom !== x || simd.transposedStep !== step || simd.transposedCount !== n) {
      transpose(lanes, x, step, n, count);
    }
    const g = at.adjoints + y * 8;
    kernels.weightGradients(
      at.gradients + w * 8,
      at.transposed,
      n * 8,
      n,
      g,
      at.active,
      active * 4,
    );
    let sum = gradients[w + n]!;
    for (let j = 0; j < active; j++) sum += adj[y + lane[j]!]! * v[partner + lane[j]!]!;
    gradients[w + n] = sum;
  }
  if (sides & 2) {
    if (active === count) {
      const g = at.adjoints + y * 8;
      kernels.inputAdjoints(at.adjoints + x * 8, step * 8, at.parameters + w * 8, n, g, count * 8);
    } else {
      for (let i = 0; i < n; i++) {
        const wi = parameters[w + i]!;
        const xi = x + i * step;
        for (let j = 0; j < active; j++) adj[xi + lane[j]!]! += adj[y + lane[j]!]! * wi;
      }
    }
    const bias = parameters[w + n]!;
    for (let j = 0; j < active; j++) adj[partner + lane[j]!]! += adj[y + lane[j]!]! * bias;
  }
}

/** Copies a layer's inputs lane by lane: lane e's n inputs in a row at `transposed[e * n]`. */
function transpose(lanes: Lanes, x: number, step: number, n: number, count: number): void {
  const simd = lanes.simd!;
  const { values: v } = lanes;
  const t = simd.transposed;
  for (let i = 0, xi = x; i < n; i++, xi += step) {
    for (let e = 0, to = i; e < count; e++, to += n) t[to] = v[xi + e]!;
  }
  simd.transposedFrom = x;
  simd.transposedStep = step;
  simd.transposedCount = n;
}
