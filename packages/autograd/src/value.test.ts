import { describe, expect, it } from 'vitest';
import {
  add,
  AutogradError,
  constant,
  defineOp,
  grad,
  log,
  mul,
  sqrt,
  tanh,
  topologicalOrder,
  variable,
  zeroGrad,
  type Value,
} from './index.js';

describe('backward', () => {
  it('accumulates over shared sub-expressions: d(x·x)/dx = 2x', () => {
    const x = variable(3);
    mul(x, x).backward();
    expect(x.grad).toBe(6);
  });

  it('sums every path through a diamond', () => {
    // a = x + 1 feeds both b = a·a and c = 3a; out = b + c, so d/dx = 2a + 3.
    const x = variable(2);
    const a = add(x, 1);
    const out = add(mul(a, a), mul(3, a));
    out.backward();
    expect(a.grad).toBe(2 * 3 + 3);
    expect(x.grad).toBe(9);
    expect(out.grad).toBe(1);
  });

  it('accumulates in variables when called twice, and zeroGrad starts again', () => {
    const x = variable(0.5);
    const doubled = mul(x, 2);
    const y = tanh(doubled);
    y.backward();
    const once = x.grad;
    const slope = doubled.grad;
    y.backward();
    expect(x.grad).toBe(2 * once);
    // Intermediate nodes hold the last call's derivative.
    expect(doubled.grad).toBe(slope);
    expect(y.grad).toBe(1);
    zeroGrad(y);
    expect(x.grad).toBe(0);
    expect(y.grad).toBe(0);
    y.backward();
    expect(x.grad).toBe(once);
  });

  it('adds the gradients of several outputs that share variables', () => {
    const x = variable(1.5);
    const first = mul(x, x);
    const second = mul(x, 4);
    first.backward();
    second.backward();
    expect(x.grad).toBe(2 * 1.5 + 4);
  });

  it('gives constants no gradient', () => {
    const c = constant(5);
    const x = variable(2);
    mul(c, x).backward();
    expect(c.grad).toBe(0);
    expect(x.grad).toBe(5);
  });

  it('handles a chain of 1,000,000 nodes without overflowing the stack', () => {
    const x = variable(0.1);
    let node: Value = x;
    for (let i = 0; i < 1_000_000; i++) node = add(node, 1e-6);
    node.backward();
    expect(x.grad).toBe(1);
    expect(node.value).toBeCloseTo(1.1, 6);
  });

  it('reports a non-finite gradient with the node where it appeared', () => {
    const x = variable(0, 'x');
    expect(() => sqrt(x).backward()).toThrow(AutogradError);
    expect(() => sqrt(x).backward()).toThrow(/gradient at x \(value 0\) is Infinity/);
  });

  it('falls back to the symbolic partials for an op without a numeric fast path', () => {
    const cube = defineOp({
      name: 'cube',
      arity: 1,
      evaluate: (x) => x ** 3,
      partials: ([x]) => [mul(3, mul(x!, x!))],
    });
    const x = variable(2);
    cube(x).backward();
    expect(x.grad).toBe(12);
  });
});

describe('clear errors', () => {
  it('names an op called with the wrong number of inputs', () => {
    const x = variable(1);
    expect(() => (mul as unknown as (a: Value) => Value)(x)).toThrow('mul takes 2 inputs, got 1');
    expect(() => (tanh as unknown as (a: Value, b: Value) => Value)(x, x)).toThrow(
      'tanh takes 1 input, got 2',
    );
  });

  it('names a non-Value input and where it went', () => {
    const x = variable(1);
    expect(() => mul(x, 'two' as unknown as number)).toThrow(
      'mul (input 2) needs a Value or a number, got the string "two"',
    );
    expect(() => log(undefined as unknown as number)).toThrow(
      /^log needs a Value or a number, got undefined$/,
    );
    expect(() => add(x, [1] as unknown as number)).toThrow(
      'add (input 2) needs a Value or a number, got an array of 1',
    );
    expect(() => variable('1' as unknown as number)).toThrow(AutogradError);
  });

  it('reports a cycle made by editing inputs by hand', () => {
    const x = variable(1);
    const y = add(x, 1);
    const z = mul(y, 2);
    (y.inputs as Value[])[0] = z;
    expect(() => topologicalOrder([z])).toThrow(/cycle/);
    expect(() => z.backward()).toThrow(AutogradError);
    expect(() => grad(z, x)).toThrow(/cycle/);
  });

  it('rejects a malformed op definition', () => {
    expect(() =>
      defineOp({ name: '', arity: 1, evaluate: (x) => x, partials: () => [constant(1)] }),
    ).toThrow('an op needs a name');
    expect(() =>
      defineOp({ name: 'bad', arity: 0, evaluate: () => 0, partials: () => [] }),
    ).toThrow(/arity/);
  });
});

describe('topologicalOrder', () => {
  it('puts every input before the nodes that use it, each node once', () => {
    const x = variable(1);
    const a = mul(x, x);
    const b = add(a, x);
    const order = topologicalOrder([b]);
    expect(order).toHaveLength(3);
    for (const node of order) {
      for (const input of node.inputs)
        expect(order.indexOf(input)).toBeLessThan(order.indexOf(node));
    }
  });
});
