import { expect, it } from 'vitest';
import { add, div, mul, neg, pow, relu, sub, variable, type Value } from './index.js';

it("reproduces micrograd's README example: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773", () => {
  const a = variable(-4);
  const b = variable(2);
  let c: Value = add(a, b);
  let d: Value = add(mul(a, b), pow(b, 3));
  c = add(c, add(c, 1));
  c = add(c, add(add(1, c), neg(a)));
  d = add(d, add(mul(d, 2), relu(add(b, a))));
  d = add(d, add(mul(3, d), relu(sub(b, a))));
  const e = sub(c, d);
  const f = pow(e, 2);
  let g = div(f, 2);
  g = add(g, div(10, f));
  g.backward();
  expect(g.value.toFixed(4)).toBe('24.7041');
  expect(a.grad.toFixed(4)).toBe('138.8338');
  expect(b.grad.toFixed(4)).toBe('645.5773');
});
