import { describe, expect, it } from 'vitest';
import {
  add,
  checkGradient,
  compile,
  constant,
  evaluate,
  grad,
  logSoftmax,
  logSumExp,
  mul,
  neg,
  softmax,
  variable,
  zeroGrad,
  type Value,
} from './index.js';

/** Categorical cross-entropy −Σ yᵢ log softmax(z)ᵢ, as nn builds it. */
const crossEntropy = (logits: Value[], targets: readonly number[]) =>
  neg(logSoftmax(logits).reduce<Value>((sum, l, i) => add(sum, mul(targets[i]!, l)), constant(0)));

/** The hand-derived softmax, in plain arithmetic with the max subtracted. */
const probabilities = (z: readonly number[]) => {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const total = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / total);
};

const cases: { logits: number[]; targets: number[] }[] = [
  { logits: [0.5, -1.2, 2.0], targets: [0, 0, 1] },
  { logits: [3, 3, 3, 3], targets: [0, 1, 0, 0] },
  { logits: [1000, -1000], targets: [0, 1] },
  { logits: [-1000, -1000, 1000], targets: [1, 0, 0] },
  { logits: [1000, 999, -1000], targets: [0.2, 0.3, 0.5] },
  { logits: [-7.25], targets: [1] },
];

describe('softmax and cross-entropy', () => {
  it.each(cases)('∂CE/∂z is the hand-derived p − y at $logits', ({ logits, targets }) => {
    const z = logits.map((x, i) => variable(x, `z${i + 1}`));
    const loss = crossEntropy(z, targets);
    const p = probabilities(logits);
    const hand = p.map((pi, i) => pi - targets[i]!);
    expect(Number.isFinite(loss.value)).toBe(true);
    zeroGrad(z);
    loss.backward();
    const ways = {
      backward: z.map((x) => x.grad),
      grad: evaluate(grad(loss, z)),
      compiled: [...compile(grad(loss, z), { inputs: z })(logits)],
    };
    for (const [way, slopes] of Object.entries(ways)) {
      slopes.forEach((slope, i) => expect(slope, `${way} z${i + 1}`).toBeCloseTo(hand[i]!, 14));
    }
  });

  it.each(cases)(
    '∂²CE/∂z² is the hand-derived diag(p) − p pᵀ at $logits',
    ({ logits, targets }) => {
      const z = logits.map((x) => variable(x));
      const slopes = grad(crossEntropy(z, targets), z);
      const p = probabilities(logits);
      slopes.forEach((slope, i) => {
        const row = evaluate(grad(slope, z));
        row.forEach((h, j) => {
          const hand = (i === j ? p[i]! : 0) - p[i]! * p[j]!;
          expect(Number.isFinite(h)).toBe(true);
          expect(h).toBeCloseTo(hand, 14);
        });
      });
    },
  );

  it('gives the exact loss at ±1000, where exp alone overflows', () => {
    const z = [1000, -1000].map((x) => variable(x));
    expect(crossEntropy(z, [0, 1]).value).toBe(2000);
    expect(crossEntropy(z, [1, 0]).value + 0).toBe(0);
    expect(logSumExp(z).value).toBe(1000);
    expect(softmax(z).map((p) => p.value)).toEqual([1, 0]);
  });

  it('matches finite differences in the logits, first and second order', () => {
    const at = [0.3, -0.8, 1.7, 0.1];
    const targets = [0.1, 0.2, 0.3, 0.4];
    expect(checkGradient((z) => crossEntropy(z, targets), at).maxError).toBeLessThan(1e-7);
    expect(checkGradient((z) => logSumExp(z), at).maxError).toBeLessThan(1e-7);
    for (let k = 0; k < at.length; k++) {
      const check = checkGradient((z) => softmax(z)[k]!, at);
      expect(check.maxError).toBeLessThan(1e-7);
      const second = checkGradient((z) => grad(softmax(z)[k]!, z[0]!), at);
      expect(second.maxError).toBeLessThan(1e-6);
    }
  });

  it('gives probabilities that sum to 1, and logs that are their logs', () => {
    const logits = [2, -1, 0.5, 7];
    const p = softmax(logits).map((v) => v.value);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 15);
    p.forEach((pi, i) => expect(pi).toBeCloseTo(probabilities(logits)[i]!, 15));
    logSoftmax(logits).forEach((l, i) => expect(l.value).toBeCloseTo(Math.log(p[i]!), 14));
  });

  it('refuses no logits, and logits that are not numbers or Values', () => {
    expect(() => softmax([])).toThrow('softmax needs a non-empty array of Values');
    expect(() => logSoftmax('z' as never)).toThrow('logSoftmax needs a non-empty array');
    expect(() => logSumExp([1, 'x' as never])).toThrow('logSumExp (input 2) needs a Value');
  });
});
