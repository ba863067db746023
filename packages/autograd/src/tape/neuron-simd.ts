// A neuron's sum of products over lanes on the WebAssembly loops (simd.ts): the same steps as
// neuron-lanes.ts, in the same order per lane, with the bias pair and the odd case in JavaScript.
// Two neurons of one layer (the same inputs) run together, each input loaded once for both. (No
// destructuring on these paths: before V8 optimises them, each would allocate on every call.)
import { Code } from './codes.js';
import type { Lanes } from './lanes.js';
import { activeLanes } from './neuron-lanes.js';

/** Each neuron step's places, by step (see `neuronTable`): read on every run, so computed once. */
export interface NeuronTable {
  /** How many inputs its loops take (all its pairs but the bias's). */
  readonly n: Int32Array;
  /** Its first weight's index among the parameters. */
  readonly w: Int32Array;
  /** Its first input's place in the lanes. */
  readonly x: Int32Array;
  /** The spacing of its inputs' places. */
  readonly step: Int32Array;
  /** Its result's place. */
  readonly y: Int32Array;
  /** Its bias's partner's place (the constant 1, in a network). */
  readonly partner: Int32Array;
  /** Which of its sides need adjoints (see `SumSteps.sides`). */
  readonly sides: Uint8Array;
  /**
   * 1 when its inputs are the batch's own, each the next: its weights' gradients read them as
   * staged (see `Simd.staged`), not transposed.
   */
  readonly staged: Uint8Array;
}

/** The places of every neuron step of the lanes' tape (0 for the other steps). */
export function neuronTable(lanes: Lanes): NeuronTable {
  const { tape, width, rowOf, inputRow, inputRowStride } = lanes;
  const { sums, codes, rows, results } = tape;
  const steps = codes.length;
  const table = {
    n: new Int32Array(steps),
    w: new Int32Array(steps),
    x: new Int32Array(steps),
    step: new Int32Array(steps),
    y: new Int32Array(steps),
    partner: new Int32Array(steps),
    sides: new Uint8Array(steps),
    staged: new Uint8Array(steps),
  };
  const { n, w, x, step, y, partner, sides, staged } = table;
  for (let k = 0; k < steps; k++) {
    const row = rows[k]!;
    if (codes[k] !== Code.sum || inputRow[row]! < 0) continue;
    n[k] = sums.end[row]! - sums.first[row]! - 1;
    w[k] = sums.leftStart[row]! - tape.parameterOffset;
    x[k] = inputRow[row]! * width;
    step[k] = inputRowStride[row]! * width;
    y[k] = rowOf[results[k]!]! * width;
    partner[k] = rowOf[sums.right[sums.end[row]! - 1]!]! * width;
    sides[k] = sums.sides[row]!;
    staged[k] = step[k] === width && x[k]! + n[k]! * width <= tape.parameterOffset * width ? 1 : 0;
  }
  return table;
}

/** Neuron step k forward (with step `k2` too, its pair, unless -1). */
export function neuronSimd(lanes: Lanes, k: number, k2: number, count: number): void {
  const { kernels, at, neurons } = lanes.simd!;
  const { n, w, x, y, step } = neurons;
  const inputs = at.values + x[k]! * 8;
  if (k2 < 0) {
    const weights = at.parameters + w[k]! * 8;
    kernels.forward(inputs, step[k]! * 8, n[k]!, count * 8, at.values + y[k]! * 8, weights);
  } else {
    const y1 = at.values + y[k]! * 8;
    const y2 = at.values + y[k2]! * 8;
    const w1 = at.parameters + w[k]! * 8;
    const w2 = at.parameters + w[k2]! * 8;
    kernels.forward2(inputs, step[k]! * 8, n[k]!, count * 8, y1, y2, w1, w2);
    addBias(lanes, k2, count);
  }
  addBias(lanes, k, count);
}

/** A neuron's lanes plus its bias × its partner's lanes (its last pair, as its sum adds it). */
function addBias(lanes: Lanes, k: number, count: number): void {
  const { values: v, parameters } = lanes;
  const { n, w, y, partner } = lanes.simd!.neurons;
  const bias = parameters[w[k]! + n[k]!]!;
  const to = y[k]!;
  const from = partner[k]!;
  for (let e = 0; e < count; e++) v[to + e]! += bias * v[from + e]!;
}

/**
 * Neuron step k backwards (with `k2`, its pair, first, unless -1), given their adjoints, as
 * `sweepNeuronLanes` does: the weights' gradients over the active lanes' inputs (transposed once
 * per layer), the inputs' adjoints by WebAssembly when every lane is active. A pair runs together
 * when every lane of both is active, else one after the other.
 */
export function sweepNeuronSimd(lanes: Lanes, k: number, k2: number, count: number): void {
  const { kernels, at, neurons } = lanes.simd!;
  const { n, w, x, y, step, sides } = neurons;
  if (k2 < 0) return sweepOne(lanes, k, count);
  if (activeLanes(lanes, y[k2]!, count) !== count || activeLanes(lanes, y[k]!, count) !== count) {
    sweepOne(lanes, k2, count);
    return sweepOne(lanes, k, count);
  }
  const g1 = at.adjoints + y[k2]! * 8;
  const g2 = at.adjoints + y[k]! * 8;
  if (sides[k]! & 1) {
    const inputs = byExample(lanes, k, count);
    const grad1 = at.gradients + w[k2]! * 8;
    const grad2 = at.gradients + w[k]! * 8;
    kernels.weightGradients2(
      inputs,
      rowBytes(lanes, k),
      n[k]!,
      at.every,
      count * 4,
      grad1,
      grad2,
      g1,
      g2,
    );
    biasGradient(lanes, k2, count, false);
    biasGradient(lanes, k, count, false);
  }
  if (sides[k]! & 2) {
    const w1 = at.parameters + w[k2]! * 8;
    const w2 = at.parameters + w[k]! * 8;
    kernels.inputAdjoints2(at.adjoints + x[k]! * 8, step[k]! * 8, n[k]!, count * 8, g1, g2, w1, w2);
    partnerAdjoint(lanes, k2, count, false);
    partnerAdjoint(lanes, k, count, false);
  }
}

function sweepOne(lanes: Lanes, k: number, count: number): void {
  const { parameters, adjoints: adj, active: lane } = lanes;
  const { kernels, at, neurons } = lanes.simd!;
  const n = neurons.n[k]!;
  const w = neurons.w[k]!;
  const x = neurons.x[k]!;
  const step = neurons.step[k]!;
  const y = neurons.y[k]!;
  const active = activeLanes(lanes, y, count);
  if (active === 0) return;
  const g = at.adjoints + y * 8;
  if (neurons.sides[k]! & 1) {
    const inputs = byExample(lanes, k, count);
    const grad = at.gradients + w * 8;
    kernels.weightGradients(inputs, rowBytes(lanes, k), n, at.active, active * 4, grad, g);
    biasGradient(lanes, k, active, true);
  }
  if (neurons.sides[k]! & 2) {
    if (active === count) {
      kernels.inputAdjoints(at.adjoints + x * 8, step * 8, n, count * 8, g, at.parameters + w * 8);
    } else {
      for (let i = 0; i < n; i++) {
        const wi = parameters[w + i]!;
        const xi = x + i * step;
        for (let j = 0; j < active; j++) adj[xi + lane[j]!]! += adj[y + lane[j]!]! * wi;
      }
    }
    partnerAdjoint(lanes, k, active, true);
  }
}

/** Neuron k's bias's gradient plus its lanes' g × partner: the first `count` lanes, or the listed. */
function biasGradient(lanes: Lanes, k: number, count: number, listed: boolean): void {
  const { adjoints: adj, values: v, active } = lanes;
  const { gradients, neurons } = lanes.simd!;
  const y = neurons.y[k]!;
  const partner = neurons.partner[k]!;
  const bias = neurons.w[k]! + neurons.n[k]!;
  let sum = gradients[bias]!;
  for (let j = 0; j < count; j++) {
    const e = listed ? active[j]! : j;
    sum += adj[y + e]! * v[partner + e]!;
  }
  gradients[bias] = sum;
}

/** Neuron k's bias's partner's adjoint plus its lanes' g × bias (the first lanes, or the listed). */
function partnerAdjoint(lanes: Lanes, k: number, count: number, listed: boolean): void {
  const { adjoints: adj, active, parameters } = lanes;
  const { neurons } = lanes.simd!;
  const y = neurons.y[k]!;
  const partner = neurons.partner[k]!;
  const bias = parameters[neurons.w[k]! + neurons.n[k]!]!;
  for (let j = 0; j < count; j++) {
    const e = listed ? active[j]! : j;
    adj[partner + e]! += adj[y + e]! * bias;
  }
}

/**
 * Where neuron k's inputs are lane by lane (a row of `rowBytes` per lane): the batch's inputs as
 * staged, for a neuron of the inputs; else a copy, transposed once per layer.
 */
function byExample(lanes: Lanes, k: number, count: number): number {
  const { neurons, at } = lanes.simd!;
  const { x, n, step, staged } = neurons;
  if (staged[k] === 1) return at.staged + (x[k]! / lanes.width) * 8;
  transposed(lanes, x[k]!, step[k]!, n[k]!, count);
  return at.transposed;
}

/** The bytes from one lane's inputs to the next's where `byExample` puts neuron k's. */
function rowBytes(lanes: Lanes, k: number): number {
  const { staged, n } = lanes.simd!.neurons;
  return (staged[k] === 1 ? lanes.tape.parameterOffset : n[k]!) * 8;
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
    const t = lanes.simd!.neurons;
    const same = t.x[k] === t.x[k2] && t.step[k] === t.step[k2] && t.n[k] === t.n[k2];
    if (!same || t.sides[k] !== t.sides[k2]) continue;
    const [first, stride] = [inputRow[rows[k]!]!, inputRowStride[rows[k]!]!];
    const isInput = (slot: number) => {
      const from = slot < 0 ? -1 : rowOf[slot]! - first;
      return (
        slot >= 0 &&
        rowOf[slot]! >= 0 &&
        from % stride === 0 &&
        from / stride >= 0 &&
        from / stride < t.n[k]!
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
