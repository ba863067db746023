// A neuron's sum of products over lanes on the WebAssembly loops (simd.ts): the same steps as
// neuron-lanes.ts, in the same order per lane, with the bias pair and the odd case in JavaScript.
// Two neurons of one layer (the same inputs) run together, each input loaded once for both.
import { Code } from './codes.js';
import type { Lanes } from './lanes.js';
import { activeLanes } from './neuron-lanes.js';

/** A neuron step's numbers: where its weights, inputs, result and bias's partner are. */
function neuron(lanes: Lanes, k: number) {
  const { tape, width } = lanes;
  const { sums } = tape;
  const row = tape.rows[k]!;
  return {
    /** How many inputs its loops take (all its pairs but the bias's). */
    n: sums.end[row]! - sums.first[row]! - 1,
    /** Its first weight's index among the parameters. */
    w: sums.leftStart[row]! - tape.parameterOffset,
    /** Its first input's place in the lanes, and their spacing. */
    x: lanes.inputRow[row]! * width,
    step: lanes.inputRowStride[row]! * width,
    /** Its result's place. */
    y: lanes.rowOf[tape.results[k]!]! * width,
    /** Its bias's partner's place (the constant 1, in a network). */
    partner: lanes.rowOf[sums.right[sums.end[row]! - 1]!]! * width,
    sides: sums.sides[row]!,
  };
}

/** Neuron step k forward (with step `k2` too, its pair, unless -1). */
export function neuronSimd(lanes: Lanes, k: number, k2: number, count: number): void {
  const { values: v, parameters } = lanes;
  const { kernels, at } = lanes.simd!;
  const one = neuron(lanes, k);
  const { x, step, n } = one;
  const bytes = (place: number) => at.values + place * 8;
  const weights = (w: number) => at.parameters + w * 8;
  const pair = k2 < 0 ? undefined : neuron(lanes, k2);
  if (pair === undefined) {
    kernels.forward(bytes(x), step * 8, n, count * 8, bytes(one.y), weights(one.w));
  } else {
    const [y1, y2, w1, w2] = [bytes(one.y), bytes(pair.y), weights(one.w), weights(pair.w)];
    kernels.forward2(bytes(x), step * 8, n, count * 8, y1, y2, w1, w2);
  }
  for (const { y, w, partner } of pair === undefined ? [one] : [one, pair]) {
    const bias = parameters[w + n]!;
    for (let e = 0; e < count; e++) v[y + e]! += bias * v[partner + e]!;
  }
}

/**
 * Neuron step k backwards (with `k2`, its pair, first, unless -1), given their adjoints, as
 * `sweepNeuronLanes` does: the weights' gradients over the active lanes' inputs (transposed once
 * per layer), the inputs' adjoints by WebAssembly when every lane is active. A pair runs together
 * when every lane of both is active, else one after the other.
 */
export function sweepNeuronSimd(lanes: Lanes, k: number, k2: number, count: number): void {
  if (k2 >= 0) {
    const [first, second] = [neuron(lanes, k2), neuron(lanes, k)];
    if (activeLanes(lanes, first.y, count) !== count) return sweepBoth(lanes, k, k2, count);
    if (activeLanes(lanes, second.y, count) !== count) return sweepBoth(lanes, k, k2, count);
    const { kernels, at, gradients } = lanes.simd!;
    const { x, step, n, sides } = first;
    const [g1, g2] = [at.adjoints + first.y * 8, at.adjoints + second.y * 8];
    if (sides & 1) {
      transposed(lanes, x, step, n, count);
      const [grad1, grad2] = [at.gradients + first.w * 8, at.gradients + second.w * 8];
      kernels.weightGradients2(at.transposed, n * 8, n, at.every, count * 4, grad1, grad2, g1, g2);
      for (const { y, w, partner } of [first, second]) {
        gradients[w + n] = biasGradient(lanes, gradients[w + n]!, y, partner, count, false);
      }
    }
    if (sides & 2) {
      const [w1, w2] = [at.parameters + first.w * 8, at.parameters + second.w * 8];
      kernels.inputAdjoints2(at.adjoints + x * 8, step * 8, n, count * 8, g1, g2, w1, w2);
      for (const one of [first, second]) partnerAdjoint(lanes, one, count, false);
    }
    return;
  }
  sweepOne(lanes, k, count);
}

function sweepBoth(lanes: Lanes, k: number, k2: number, count: number): void {
  sweepOne(lanes, k2, count);
  sweepOne(lanes, k, count);
}

function sweepOne(lanes: Lanes, k: number, count: number): void {
  const one = neuron(lanes, k);
  const { x, step, n, w, y, sides } = one;
  const { parameters, adjoints: adj, active: lane } = lanes;
  const { kernels, at, gradients } = lanes.simd!;
  const active = activeLanes(lanes, y, count);
  if (active === 0) return;
  const g = at.adjoints + y * 8;
  if (sides & 1) {
    transposed(lanes, x, step, n, count);
    const grad = at.gradients + w * 8;
    kernels.weightGradients(at.transposed, n * 8, n, at.active, active * 4, grad, g);
    gradients[w + n] = biasGradient(lanes, gradients[w + n]!, y, one.partner, active, true);
  }
  if (sides & 2) {
    if (active === count) {
      kernels.inputAdjoints(at.adjoints + x * 8, step * 8, n, count * 8, g, at.parameters + w * 8);
    } else {
      for (let i = 0; i < n; i++) {
        const wi = parameters[w + i]!;
        const xi = x + i * step;
        for (let j = 0; j < active; j++) adj[xi + lane[j]!]! += adj[y + lane[j]!]! * wi;
      }
    }
    partnerAdjoint(lanes, one, active, true);
  }
}

/** The bias's gradient plus its lanes' g × partner: the first `count` lanes, or the listed ones. */
function biasGradient(
  lanes: Lanes,
  sum: number,
  y: number,
  partner: number,
  count: number,
  listed: boolean,
): number {
  const { adjoints: adj, values: v, active } = lanes;
  for (let j = 0; j < count; j++) {
    const e = listed ? active[j]! : j;
    sum += adj[y + e]! * v[partner + e]!;
  }
  return sum;
}

/** The bias's partner's adjoint plus its lanes' g × bias (the first lanes, or the listed ones). */
function partnerAdjoint(
  lanes: Lanes,
  { y, w, n, partner }: { y: number; w: number; n: number; partner: number },
  count: number,
  listed: boolean,
): void {
  const { adjoints: adj, active, parameters } = lanes;
  const bias = parameters[w + n]!;
  for (let j = 0; j < count; j++) {
    const e = listed ? active[j]! : j;
    adj[partner + e]! += adj[y + e]! * bias;
  }
}

/** Makes sure `transposed` holds a layer's inputs lane by lane: lane e's n at `[e * n]`. */
function transposed(lanes: Lanes, x: number, step: number, n: number, count: number): void {
  const simd = lanes.simd!;
  if (simd.transposedFrom === x && simd.transposedStep === step && simd.transposedCount === n) {
    return;
  }
  const { values: v } = lanes;
  const t = simd.transposed;
  for (let i = 0, xi = x; i < n; i++, xi += step) {
    for (let e = 0, to = i; e < count; e++, to += n) t[to] = v[xi + e]!;
  }
  simd.transposedFrom = x;
  simd.transposedStep = step;
  simd.transposedCount = n;
}

/**
 * Which neuron steps run in pairs (see `Simd.pairedWith`): each with the next neuron step when
 * both take the same inputs and need the same adjoints, the second's bias partner is ready
 * before the first runs, and no step between them reads their inputs or that partner (so adding
 * the second's adjoints early changes no lane's order of additions).
 */
export function pairNeurons(lanes: Lanes): Int32Array {
  const { tape, rowOf, inputRow, inputRowStride } = lanes;
  const { codes, rows, results, ops, sums } = tape;
  const pairedWith = new Int32Array(codes.length).fill(-1);
  const producer = new Int32Array(rowOf.length).fill(-1); // (by slot)
  results.forEach((slot, k) => (producer[slot] = k));
  const isNeuron = (k: number) => codes[k] === Code.sum && inputRow[rows[k]!]! >= 0;
  const partnerOf = (k: number) => sums.right[sums.end[rows[k]!]! - 1]!;
  /** The slots step k reads. */
  const reads = (k: number): number[] => {
    const row = rows[k]!;
    if (codes[k] !== Code.sum) return [ops.a[row]!, ops.b[row]!, ...(tape.wide?.get(row) ?? [])];
    return [
      ...sums.left.subarray(sums.first[row], sums.end[row]),
      ...sums.right.subarray(sums.first[row], sums.end[row]),
    ];
  };
  for (let k = 0; k < codes.length; k++) {
    if (!isNeuron(k) || pairedWith[k] !== -1) continue;
    let k2 = k + 1;
    while (k2 < codes.length && !isNeuron(k2)) k2++;
    if (k2 === codes.length) break;
    const [a, b] = [neuron(lanes, k), neuron(lanes, k2)];
    if (a.x !== b.x || a.step !== b.step || a.n !== b.n || a.sides !== b.sides) continue;
    const [first, stride] = [inputRow[rows[k]!]!, inputRowStride[rows[k]!]!];
    const isInput = (slot: number) => {
      const from = slot < 0 ? -1 : rowOf[slot]! - first;
      return (
        slot >= 0 &&
        rowOf[slot]! >= 0 &&
        from % stride === 0 &&
        from / stride >= 0 &&
        from / stride < a.n
      );
    };
    const partner = partnerOf(k2);
    let clear = producer[partner]! < k && !isInput(partner) && !isInput(partnerOf(k));
    for (let between = k + 1; between < k2 && clear; between++) {
      clear = reads(between).every((slot) => !isInput(slot) && slot !== partner);
    }
    if (clear) {
      pairedWith[k] = k2;
      pairedWith[k2] = -2;
    }
  }
  return pairedWith;
}
