// A tape run forward, step by step, and swept backwards for the gradients of its first root.
import { Code } from './codes.js';
import { definedValue, sweepOp } from './op-step.js';
import { sumOfProducts, sweepSum } from './sum-step.js';
import { addAdjoint, addReused, type Tape } from './tape.js';

/** Runs a tape forward: `x` into the input slots, every step in order, then the roots into `out`. */
export function runTape(tape: Tape, x: ArrayLike<number>, out: Float64Array): void {
  const { slots, codes, results, rows, ops, roots } = tape;
  for (let i = 0; i < x.length; i++) slots[i] = x[i]!;
  for (let k = 0; k < codes.length; k++) {
    if (codes[k] === Code.sum) {
      slots[results[k]!] = sumOfProducts(tape, rows[k]!);
      continue;
    }
    const row = rows[k]!;
    const second = ops.b[row]!;
    const a = slots[ops.a[row]!]!;
    const b = second < 0 ? 0 : slots[second]!;
    let y: number;
    // Each built-in op inline, computed exactly as its `evaluate` computes it (the op table test
    // runs every op on the tape against `evaluate`): a call per step would cost more than most ops.
    switch (codes[k]) {
      case Code.add:
        y = a + b;
        break;
      case Code.neg:
        y = -a;
        break;
      case Code.mul:
        y = a * b;
        break;
      case Code.div:
        y = a / b;
        break;
      case Code.pow:
        y = a ** b;
        break;
      case Code.exp:
        y = Math.exp(a);
        break;
      case Code.log:
        y = Math.log(a);
        break;
      case Code.sqrt:
        y = Math.sqrt(a);
        break;
      case Code.abs:
        y = Math.abs(a);
        break;
      case Code.sign:
        y = Math.sign(a);
        break;
      case Code.step:
        y = a > 0 ? 1 : a <= 0 ? 0 : NaN;
        break;
      case Code.sin:
        y = Math.sin(a);
        break;
      case Code.cos:
        y = Math.cos(a);
        break;
      case Code.tanh:
        y = Math.tanh(a);
        break;
      case Code.sigmoid:
        y = 1 / (1 + Math.exp(-a));
        break;
      case Code.relu:
        y = Math.max(0, a);
        break;
      case Code.max:
        y = Math.max(a, b);
        break;
      case Code.mulNoNan:
        y = a === 0 || b === 0 ? 0 : a * b;
        break;
      default:
        y = definedValue(tape, row, a, b);
    }
    slots[results[k]!] = y;
  }
  for (let i = 0; i < roots.length; i++) out[i] = slots[roots[i]!]!;
}

/**
 * Reverse mode over a tape that `runTape` has just run: adds d(first root)/d(parameter) to
 * `gradients`, sweeping the steps backwards as `backward` does over Values, but with no graph of
 * gradients built. `adjoints` (one per slot) is scratch space for every other slot's
 * d(root)/d(slot); slots that depend on no parameter get none.
 */
export function sweepTape(tape: Tape, adjoints: Float64Array, gradients: Float64Array): void {
  const { codes, results, rows, parameterOffset, reusedParameters } = tape;
  // (a parameter's adjoint is its gradient, so its slot's is used only if it is reused)
  adjoints.fill(0, 0, parameterOffset).fill(0, parameterOffset + gradients.length);
  for (let i = 0; i < reusedParameters.length; i++)
    adjoints[parameterOffset + reusedParameters[i]!] = 0;
  addAdjoint(tape, adjoints, gradients, tape.roots[0]!, 1);
  for (let k = codes.length - 1; k >= 0; k--) {
    const g = adjoints[results[k]!]!;
    if (g === 0) continue; // as in `backward`: a node whose gradient is 0 passes nothing on
    if (codes[k] === Code.sum) sweepSum(tape, rows[k]!, g, adjoints, gradients);
    else sweepOp(tape, k, g, adjoints, gradients);
  }
  addReused(tape, adjoints, gradients);
}
