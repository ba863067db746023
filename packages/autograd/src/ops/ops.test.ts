import { describe, expect, it } from 'vitest';
import * as autograd from '../index.js';
import { checkGradient, constant, grad, type OpFunction, type Value } from '../index.js';

const { abs, add, cos, div, exp, log, mul, neg, pow, relu, sigmoid, sign, sin, sqrt, step, tanh } =
  autograd;
const halfPi = Math.PI / 2;

/**
 * The op table: one row per op, with points to check it at. Adding an op adds a row; the tests
 * below check its partials against finite differences at first and second order, and its numeric
 * fast path against its symbolic partials. `wrt` limits which inputs are varied (the others are
 * held constant), for points where the op is differentiable in some inputs only.
 */
// prettier-ignore
const table: { op: OpFunction; points: number[][]; wrt?: number[] }[] = [
  { op: add,     points: [[0, 0], [1.5, -2], [1e8, -1e8]] },
  { op: neg,     points: [[0], [-3.5], [1e6]] },
  { op: mul,     points: [[0, 0], [2, -3], [1e4, 1e-4]] },
  { op: div,     points: [[1, 2], [-3, 0.5], [1e3, -7], [0, 3]] },
  { op: pow,     points: [[2, 3], [0.5, -1.5], [1.5, 0.5], [3, 0], [10, 2.5]] },
  { op: pow,     points: [[-2, 3], [0, 2], [-1.5, -2]], wrt: [0] },
  { op: exp,     points: [[0], [1], [-30], [20]] },
  { op: log,     points: [[1], [0.5], [1e6], [1e-3]] },
  { op: sqrt,    points: [[1], [4], [1e-4], [1e6]] },
  { op: abs,     points: [[-2], [3], [1e6]] },
  { op: sign,    points: [[-2], [3]] },
  { op: step,    points: [[-2], [3]] },
  { op: sin,     points: [[0], [halfPi], [-halfPi], [Math.PI], [1e3]] },
  { op: cos,     points: [[0], [halfPi], [-halfPi], [Math.PI], [1e3]] },
  { op: tanh,    points: [[0], [0.5], [-3], [20], [-20]] },
  { op: sigmoid, points: [[0], [2], [-5], [30], [-30]] },
  { op: relu,    points: [[-2], [3], [1e6]] },
];

const cases = table.flatMap(({ op, points, wrt }) =>
  points.map((point) => {
    const varied = wrt ?? point.map((_, i) => i);
    // The op applied to the varied inputs, with the others held at their constant values.
    const f = (inputs: Value[]) =>
      op(...point.map((x, i) => (varied.includes(i) ? inputs[varied.indexOf(i)]! : constant(x))));
    return {
      name: `${op.op.name}(${point.join(', ')})`,
      op,
      point,
      f,
      at: varied.map((i) => point[i]!),
    };
  }),
);

describe('the op table', () => {
  it('has a row for every op the package exports', () => {
    const exported = Object.values(autograd).filter(
      (x): x is OpFunction => typeof x === 'function' && 'op' in x,
    );
    const covered = new Set(table.map((row) => row.op));
    expect(exported.filter((op) => !covered.has(op)).map((op) => op.op.name)).toEqual([]);
  });

  it.each(cases)('$name: first derivatives match finite differences', ({ f, at }) => {
    const check = checkGradient(f, at);
    expect(check.maxError, JSON.stringify(check.entries)).toBeLessThan(1e-6);
  });

  it.each(cases)('$name: second derivatives match finite differences', ({ f, at }) => {
    at.forEach((_, j) => {
      const check = checkGradient((inputs) => grad(f(inputs), inputs[j]!), at);
      expect(check.maxError, JSON.stringify(check.entries)).toBeLessThan(1e-6);
    });
  });

  it.each(cases)('$name: the numeric fast path equals the symbolic partials', ({ op, point }) => {
    const { numericPartial, partials } = op.op;
    if (numericPartial === undefined) return;
    const inputs = point.map((x) => autograd.variable(x));
    const output = op(...inputs);
    partials(inputs, output).forEach((partial, k) => {
      const fast = numericPartial(k, output.value, point[0]!, point[1] ?? NaN);
      if (Number.isNaN(partial.value)) expect(fast).toBeNaN();
      else expect(fast).toBeCloseTo(partial.value, 14);
    });
  });
});

describe('kinks', () => {
  it('take the derivative of abs and relu at 0 as 0, as a subgradient', () => {
    for (const op of [abs, relu]) {
      const x = autograd.variable(0);
      op(x).backward();
      expect(x.grad).toBe(0);
      expect(grad(op(x), x).value).toBe(0);
    }
  });
});
