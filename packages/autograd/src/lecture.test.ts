import { describe, expect, it } from 'vitest';
import { add, div, grad, mul, pow, sigmoid, sub, variable, type Value } from './index.js';

// The lecture's worked numbers (shared/reference/lecture-numbers.md), built as graphs of the engine.
// The hand-derived formulas for all nine parameters are checked in @dendrite/nn's lecture test.

const parameterNames = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2', 'b3'] as const;
type Parameters = Record<(typeof parameterNames)[number], number>;

/** A two-input neuron: σ(w1 x1 + w2 x2 + b). */
function neuron([w1, w2]: Value[], bias: Value, [x1, x2]: Value[]): Value {
  return sigmoid(add(add(mul(w1!, x1!), mul(w2!, x2!)), bias));
}

/** The lecture's 2-2-1 network and its per-sample MSE loss, with every node the lecture names. */
function lectureNetwork(p: Parameters, [x1, x2]: [number, number], yTrue: number) {
  const v = Object.fromEntries(
    parameterNames.map((name) => [name, variable(p[name], name)]),
  ) as Record<(typeof parameterNames)[number], Value>;
  const x = [variable(x1, 'x1'), variable(x2, 'x2')];
  const h1 = sigmoid(add(add(mul(v.w1, x[0]!), mul(v.w2, x[1]!)), v.b1));
  const h2 = sigmoid(add(add(mul(v.w3, x[0]!), mul(v.w4, x[1]!)), v.b2));
  const o1 = sigmoid(add(add(mul(v.w5, h1), mul(v.w6, h2)), v.b3));
  const loss = pow(sub(yTrue, o1), 2);
  return { v, h1, h2, o1, loss };
}

const ones: Parameters = { w1: 1, w2: 1, w3: 1, w4: 1, w5: 1, w6: 1, b1: 0, b2: 0, b3: 0 };

describe("the lecture's worked values", () => {
  it('one sigmoid neuron: w = [0, 1], b = 4, x = [2, 3]', () => {
    const out = neuron([variable(0), variable(1)], variable(4), [variable(2), variable(3)]);
    expect(out.value).toBeCloseTo(0.9990889488055994, 15);
  });

  it('the 2-2-1 network with every neuron w = [0, 1], b = 0, at x = [2, 3]', () => {
    const p = { ...ones, w1: 0, w3: 0, w5: 0 };
    const { h1, h2, o1 } = lectureNetwork(p, [2, 3], 1);
    expect(h1.value).toBeCloseTo(0.9525741268224334, 15);
    expect(h2.value).toBeCloseTo(0.9525741268224334, 15);
    expect(o1.value).toBeCloseTo(0.7216325609518421, 15);
  });

  it('MSE of y_true = [1, 0, 0, 1] against y_pred = [0, 0, 0, 0] is 0.5', () => {
    const yTrue = [1, 0, 0, 1];
    const squares = yTrue.map((y) => pow(sub(y, variable(0)), 2));
    const mse = div(
      squares.reduce((total, s) => add(total, s)),
      squares.length,
    );
    expect(mse.value).toBe(0.5);
  });

  it('one backprop step on Alice: dL/dw1 = 0.02146953526581111, and its chain-rule factors', () => {
    const { v, h1, o1, loss } = lectureNetwork(ones, [-2, -1], 1);
    expect(o1.value).toBeCloseTo(0.5236951740839997, 15);
    loss.backward();
    expect(v.w1.grad).toBeCloseTo(0.02146953526581111, 15);
    expect(grad(loss, v.w1).value).toBeCloseTo(0.02146953526581111, 15);
    // The lecture shows its chain-rule factors cut to three significant figures.
    expect(Math.abs(grad(loss, o1).value - -0.952)).toBeLessThan(1e-3);
    expect(Math.abs(grad(o1, h1).value - 0.249)).toBeLessThan(1e-3);
    expect(Math.abs(grad(h1, v.w1).value - -0.0904)).toBeLessThan(1e-4);
  });
});
