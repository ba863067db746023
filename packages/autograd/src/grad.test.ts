import { describe, expect, it } from 'vitest';
import {
  add,
  constant,
  cos,
  evaluate,
  exp,
  formula,
  grad,
  mul,
  pow,
  sigmoid,
  simplify,
  sin,
  sub,
  tanh,
  topologicalOrder,
  variable,
  type Value,
} from './index.js';

describe('grad', () => {
  it('returns derivatives as graphs that print and evaluate', () => {
    const x = variable(2, 'x');
    const y = variable(3, 'y');
    const f = add(mul(x, y), sin(x));
    const [dfdx, dfdy] = grad(f, [x, y]);
    expect(formula(dfdx!)).toBe('y + cos(x)');
    expect(formula(dfdy!)).toBe('x');
    expect(dfdx!.value).toBe(3 + Math.cos(2));
  });

  it('follows the variables when they change, through evaluate', () => {
    const x = variable(1, 'x');
    const dfdx = grad(mul(x, exp(x)), x);
    x.value = 2;
    expect(evaluate(dfdx)).toBeCloseTo(3 * Math.exp(2), 12);
  });

  it('differentiates again: second and third derivatives', () => {
    const x = variable(0.7, 'x');
    const f = pow(x, 4);
    const second = grad(grad(f, x), x);
    const third = grad(second, x);
    expect(second.value).toBeCloseTo(12 * 0.7 ** 2, 12);
    expect(third.value).toBeCloseTo(24 * 0.7, 12);
    expect(formula(third)).toBe('12 * 2 * x'); // no reassociation: values stay exact
  });

  it('composes second derivatives of tanh, sigmoid and exp from their inputs', () => {
    const x = variable(0.3, 'x');
    const t = Math.tanh(0.3);
    const s = 1 / (1 + Math.exp(-0.3));
    expect(grad(grad(tanh(x), x), x).value).toBeCloseTo(-2 * t * (1 - t * t), 14);
    expect(grad(grad(sigmoid(x), x), x).value).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 14);
    expect(grad(grad(exp(x), x), x).value).toBeCloseTo(Math.exp(0.3), 14);
  });

  it('builds a Hessian from grad of grad', () => {
    const x = variable(1, 'x');
    const y = variable(2, 'y');
    const f = mul(pow(x, 2), y); // ∂²f/∂x² = 2y, ∂²f/∂x∂y = 2x, ∂²f/∂y² = 0
    const hessian = grad(f, [x, y]).map((d) => grad(d, [x, y]).map((h) => h.value));
    expect(hessian).toEqual([
      [4, 2],
      [2, 0],
    ]);
  });

  it('returns the constant 0 for a variable the output does not depend on', () => {
    const x = variable(1);
    const unused = variable(5);
    const d = grad(mul(x, 3), unused);
    expect(d.isConstant).toBe(true);
    expect(d.value).toBe(0);
  });

  it('agrees with backward on a shared-sub-expression graph', () => {
    const x = variable(0.4);
    const a = cos(x);
    const out = mul(add(a, mul(a, a)), sub(x, a));
    out.backward();
    expect(grad(out, x).value).toBeCloseTo(x.grad, 14);
  });

  it('keeps gradient graphs small with simplify (and shows the raw chain rule without it)', () => {
    const w = variable(0.5, 'w');
    const b = variable(0.1, 'b');
    const loss = pow(sub(1, sigmoid(add(mul(w, 2), b))), 2);
    const raw = grad(loss, w, { simplify: false });
    const simple = grad(loss, w);
    const size = (v: Value) => topologicalOrder([v]).length;
    expect(size(simple)).toBeLessThan(size(raw));
    expect(simple.value).toBe(raw.value);
    expect(formula(simple)).toBe(
      '-(2 * (1 - σ(w * 2 + b))) * σ(w * 2 + b) * (1 - σ(w * 2 + b)) * 2',
    );
  });

  it('keeps second derivatives of a deep chain small: a few nodes per chain node', () => {
    const x = variable(0.1, 'x');
    let chain: Value = x;
    for (let i = 0; i < 10_000; i++) chain = tanh(chain);
    const first = grad(chain, x);
    const second = grad(first, x);
    const perNode = (g: Value) => topologicalOrder([g]).length / 10_000;
    expect(perNode(first)).toBeLessThan(5.1);
    expect(perNode(second)).toBeLessThan(12.1);
    expect(second.value).toBeCloseTo(evaluate(grad(grad(chain, x, { simplify: false }), x)), 12);
  });
});

describe('simplify', () => {
  const x = variable(3, 'x');

  it.each([
    [mul(x, 1), 'x'],
    [mul(1, x), 'x'],
    [add(x, 0), 'x'],
    [add(0, x), 'x'],
    [mul(x, 0), '0'],
    [mul(0, x), '0'],
    [pow(x, 1), 'x'],
    [pow(x, 0), '1'],
    [mul(x, -1), '-x'],
    [sub(0, sub(0, x)), 'x'],
    [mul(add(2, 3), x), '5 * x'],
    [mul(mul(sub(4, 3), x), pow(x, sub(2, 1))), 'x * x'],
  ])('%s → %s', (value, expected) => {
    expect(formula(simplify(value))).toBe(expected);
  });

  it('merges identical sub-expressions into one node', () => {
    const y = variable(2, 'y');
    const f = add(mul(x, y), mul(x, y));
    const simple = simplify(f);
    expect(simple.inputs[0]).toBe(simple.inputs[1]);
    expect(topologicalOrder([simple])).toHaveLength(4);
  });

  it('keeps variables and labels, and leaves the input graph alone', () => {
    const h = tanh(mul(x, 1));
    h.label = 'h';
    const f = add(h, 0);
    const simple = simplify(f);
    expect(formula(simple)).toBe('tanh(x)');
    expect(simple.label).toBe('h');
    expect(simple.inputs[0]).toBe(x);
    expect(formula(f)).toBe('h + 0');
    // A node of the input graph kept as it is stays unlabelled.
    const g = tanh(x);
    const sum = add(g, 0);
    sum.label = 'sum';
    expect(simplify(sum)).toBe(g);
    expect(g.label).toBeUndefined();
  });

  it('folds constants with the op evaluate uses, so values do not change', () => {
    const f = mul(x, add(constant(0.1), 0.2));
    expect(simplify(f).value).toBe(f.value);
  });
});
