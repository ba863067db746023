// A neuron's sum of products over lanes: a row of weights times a block of inputs, one lane per
// example, forward and backwards. Each weight is read once per run, however many examples it
// takes; each lane adds its products in the order `sumOfProducts` adds them.
import type { Lanes } from './lanes.js';

/** Sum `row` (a neuron's: see `Lanes.inputRow`) forward into the lanes at `y`. */
export function neuronLanes(lanes: Lanes, row: number, y: number, count: number): void {
  const { tape, width, values: v, parameters: slots } = lanes;
  const { sums } = tape;
  const n = sums.end[row]! - sums.first[row]! - 1; // (the last pair is the bias and its 1)
  const w = sums.leftStart[row]! - tape.parameterOffset;
  const step = lanes.inputRowStride[row]! * width;
  let x = lanes.inputRow[row]! * width;
  const w0 = slots[w]!;
  for (let e = 0; e < count; e++) v[y + e] = w0 * v[x + e]!;
  let i = 1;
  x += step;
  // Four inputs at a time: each lane's sum stays in a register across them.
  for (; i + 3 < n; i += 4, x += 4 * step) {
    const w1 = slots[w + i]!;
    const w2 = slots[w + i + 1]!;
    const w3 = slots[w + i + 2]!;
    const w4 = slots[w + i + 3]!;
    const x2 = x + step;
    const x3 = x2 + step;
    const x4 = x3 + step;
    for (let e = 0; e < count; e++) {
      let sum = v[y + e]!;
      sum += w1 * v[x + e]!;
      sum += w2 * v[x2 + e]!;
      sum += w3 * v[x3 + e]!;
      sum += w4 * v[x4 + e]!;
      v[y + e] = sum;
    }
  }
  for (; i < n; i++, x += step) {
    const wi = slots[w + i]!;
    for (let e = 0; e < count; e++) v[y + e]! += wi * v[x + e]!;
  }
  const bias = slots[w + n]!;
  const partner = lanes.rowOf[sums.right[sums.end[row]! - 1]!]! * width;
  for (let e = 0; e < count; e++) v[y + e]! += bias * v[partner + e]!;
}

/**
 * Sum `row` (a neuron's) backwards, given its adjoints at `y`: each weight's gradient gains its
 * lanes' g × input in lane order (as one example after another would add them), and, where they
 * need them, each input's lanes gain g × weight. Lanes whose adjoint is 0 pass nothing on.
 */
export function sweepNeuronLanes(
  lanes: Lanes,
  row: number,
  y: number,
  count: number,
  gradients: Float64Array,
): void {
  const { tape, width, adjoints: adj, values: v, parameters: slots } = lanes;
  const { sums } = tape;
  const active = activeLanes(lanes, y, count);
  if (active === 0) return;
  const n = sums.end[row]! - sums.first[row]!; // (with the last pair: the bias, a weight too)
  const w = sums.leftStart[row]! - tape.parameterOffset;
  const step = lanes.inputRowStride[row]! * width;
  const x0 = lanes.inputRow[row]! * width;
  const partner = lanes.rowOf[sums.right[sums.end[row]! - 1]!]! * width;
  const sides = sums.sides[row]!;
  const inputAt = (i: number) => (i < n - 1 ? x0 + i * step : partner);
  if (sides & 1) {
    if (active === count) weightGradients(adj, v, y, inputAt, n, count, gradients, w);
    else {
      const lane = lanes.active;
      for (let i = 0; i < n; i++) {
        const x = inputAt(i);
        let sum = gradients[w + i]!;
        for (let j = 0; j < active; j++) sum += adj[y + lane[j]!]! * v[x + lane[j]!]!;
        gradients[w + i] = sum;
      }
    }
  }
  if (sides & 2) {
    const lane = lanes.active;
    for (let i = 0; i < n; i++) {
      const x = inputAt(i);
      const wi = slots[w + i]!;
      if (active === count) for (let e = 0; e < count; e++) adj[x + e]! += adj[y + e]! * wi;
      else for (let j = 0; j < active; j++) adj[x + lane[j]!]! += adj[y + lane[j]!]! * wi;
    }
  }
}

/** Every weight's gradient plus its lanes' g × input, four weights at a time. */
function weightGradients(
  adj: Float64Array,
  v: Float64Array,
  y: number,
  inputAt: (i: number) => number,
  n: number,
  count: number,
  gradients: Float64Array,
  weight: number,
): void {
  let i = 0;
  for (; i + 3 < n - 1; i += 4) {
    const x1 = inputAt(i);
    const x2 = inputAt(i + 1);
    const x3 = inputAt(i + 2);
    const x4 = inputAt(i + 3);
    let s1 = gradients[weight + i]!;
    let s2 = gradients[weight + i + 1]!;
    let s3 = gradients[weight + i + 2]!;
    let s4 = gradients[weight + i + 3]!;
    for (let e = 0; e < count; e++) {
      const g = adj[y + e]!;
      s1 += g * v[x1 + e]!;
      s2 += g * v[x2 + e]!;
      s3 += g * v[x3 + e]!;
      s4 += g * v[x4 + e]!;
    }
    gradients[weight + i] = s1;
    gradients[weight + i + 1] = s2;
    gradients[weight + i + 2] = s3;
    gradients[weight + i + 3] = s4;
  }
  for (; i < n; i++) {
    const x = inputAt(i);
    let sum = gradients[weight + i]!;
    for (let e = 0; e < count; e++) sum += adj[y + e]! * v[x + e]!;
    gradients[weight + i] = sum;
  }
}

/** How many of the lanes at `y` have an adjoint other than 0; lists them in `lanes.active`. */
export function activeLanes(lanes: Lanes, y: number, count: number): number {
  const { adjoints, active } = lanes;
  let n = 0;
  for (let e = 0; e < count; e++) if (adjoints[y + e] !== 0) active[n++] = e;
  return n;
}
