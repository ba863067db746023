import { describe, expect, it } from 'vitest';
import * as autograd from '../index.js';
import {
  checkGradient,
  compile,
  constant,
  evaluate,
  grad,
  simplify,
  variable,
  zeroGrad,
  type OpFunction,
  type Value,
} from '../index.js';

const { abs, add, cos, div, exp, log, mul, mulNoNan, neg, pow, relu, sigmoid, sign, sin } =
  autograd;
const { sqrt, step, tanh } = autograd;
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
  { op: mulNoNan, points: [[0, 0], [2, -3], [1e4, 1e-4], [0, 5]] },
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

/** Equal as numbers (0 and -0 alike), or both NaN. */
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

describe('the op table, compiled and simplified', () => {
  it.each(cases)('$name: compiled code and the tape compute `evaluate`', ({ op, point }) => {
    const inputs = point.map((x) => variable(x));
    const expected = op.op.evaluate(...point);
    for (const mode of ['code', 'tape'] as const) {
      const [computed] = compile([op(...inputs)], { inputs, mode })(point);
      expect(same(computed!, expected), `${mode}: ${computed} vs ${expected}`).toBe(true);
    }
  });

  // Rules fire on constant inputs such as 0, 1 and -1: hold each input constant in turn, also at
  // those numbers, and the simplified graph must still have the op's value (where it is finite).
  it.each(cases)('$name: simplify keeps its value', ({ op, point }) => {
    const replaced = (i: number, c: number) => point.map((x, j) => (j === i ? c : x));
    const points = [point, ...point.flatMap((_, i) => [0, 1, -1].map((c) => replaced(i, c)))];
    for (const at of points) {
      const expected = op.op.evaluate(...at);
      if (!Number.isFinite(expected)) continue;
      for (let held = 0; held < 2 ** at.length; held++) {
        const inputs = at.map((x, i) => (held & (1 << i) ? constant(x) : variable(x)));
        const simplified = simplify(op(...inputs));
        const value = evaluate(simplified);
        expect(
          same(value, expected),
          `${op.op.name}(${at.join(', ')}), mask ${held}: ${value}`,
        ).toBe(true);
      }
    }
  });
});

/**
 * Derivatives where finite differences cannot go (kinks, limits, saturation): the value each must
 * have, the same through `backward`, `grad` with and without simplifying, and compiled code.
 */
// prettier-ignore
const limits: { name: string; f: (x: Value[]) => Value; at: number[]; first: number[]; second?: number }[] = [
  { name: 'abs at 0 (subgradient)',  f: ([x]) => abs(x!),         at: [0],    first: [0], second: 0 },
  { name: 'relu at 0 (subgradient)', f: ([x]) => relu(x!),        at: [0],    first: [0], second: 0 },
  { name: 'sign at 0',               f: ([x]) => sign(x!),        at: [0],    first: [0], second: 0 },
  { name: 'step at 0',               f: ([x]) => step(x!),        at: [0],    first: [0], second: 0 },
  { name: 'x^0 at 0',                f: ([x]) => pow(x!, 0),      at: [0],    first: [0], second: 0 },
  { name: 'x^1 at 0',                f: ([x]) => pow(x!, 1),      at: [0],    first: [1], second: 0 },
  { name: 'x^2 at 0',                f: ([x]) => pow(x!, 2),      at: [0],    first: [0], second: 2 },
  { name: 'x^3 at 0',                f: ([x]) => pow(x!, 3),      at: [0],    first: [0], second: 0 },
  { name: 'x^y at (0, 2)',           f: ([x, y]) => pow(x!, y!),  at: [0, 2], first: [0, 0] },
  { name: 'x^y at (0, 1)',           f: ([x, y]) => pow(x!, y!),  at: [0, 1], first: [1, 0] },
  { name: '0^y at 3',                f: ([y]) => pow(0, y!),      at: [3],    first: [0] },
  { name: 'mulNoNan at (0, 0)',      f: ([x, y]) => mulNoNan(x!, y!), at: [0, 0], first: [0, 0] },
  { name: 'sigmoid at 800',          f: ([x]) => sigmoid(x!),     at: [800],  first: [0], second: 0 },
  { name: 'sigmoid at -800',         f: ([x]) => sigmoid(x!),     at: [-800], first: [0], second: 0 },
  { name: 'tanh at 800',             f: ([x]) => tanh(x!),        at: [800],  first: [0], second: 0 },
  { name: 'exp at -800',             f: ([x]) => exp(x!),         at: [-800], first: [0], second: 0 },
];

describe('derivatives at limits', () => {
  it.each(limits)('$name', ({ f, at, first, second }) => {
    const ways = (xs: Value[], output: Value): Record<string, number[]> => {
      zeroGrad(xs);
      output.backward();
      const raw = grad(output, xs, { simplify: false });
      const slopes = grad(output, xs);
      return {
        backward: xs.map((x) => x.grad),
        grad: evaluate(slopes),
        'grad (not simplified)': evaluate(raw),
        code: [...compile(raw, { inputs: xs, mode: 'code' })(at)],
        tape: [...compile(raw, { inputs: xs, mode: 'tape' })(at)],
      };
    };
    const xs = at.map((x) => variable(x));
    for (const [way, slopes] of Object.entries(ways(xs, f(xs)))) {
      expect(
        slopes.map((s) => s + 0),
        way,
      ).toEqual(first);
    }
    if (second === undefined) return;
    const [x] = xs;
    for (const simplifyFirst of [true, false]) {
      const slope = grad(f(xs), x!, { simplify: simplifyFirst });
      for (const [way, [curvature]] of Object.entries(ways(xs, slope))) {
        expect(curvature! + 0, `${way}, first grad simplified: ${simplifyFirst}`).toBe(second);
      }
    }
  });
});
