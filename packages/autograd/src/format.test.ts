import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  constant,
  div,
  dot,
  exp,
  formula,
  latex,
  log,
  mul,
  neg,
  pow,
  sigmoid,
  sqrt,
  sub,
  tanh,
  toDot,
  variable,
  type Value,
} from './index.js';
import { randomGraph } from './random-graph.test-helper.js';

const a = variable(2, 'a');
const b = variable(3, 'b');
const c = variable(5, 'c');

describe('formula', () => {
  it.each([
    [add(a, mul(b, c)), 'a + b * c'],
    [mul(add(a, b), c), '(a + b) * c'],
    [sub(a, add(b, c)), 'a - (b + c)'],
    [sub(a, sub(b, c)), 'a - (b - c)'],
    [sub(sub(a, b), c), 'a - b - c'],
    [div(a, mul(b, c)), 'a / (b * c)'],
    [mul(div(a, b), c), 'a / b * c'],
    [div(a, div(b, c)), 'a / (b / c)'],
    [pow(a, pow(b, c)), 'a ^ b ^ c'],
    [pow(pow(a, b), c), '(a ^ b) ^ c'],
    [neg(pow(a, 2)), '-a ^ 2'],
    [pow(neg(a), 2), '(-a) ^ 2'],
    [neg(neg(a)), '-(-a)'],
    [neg(mul(a, b)), '-(a * b)'],
    [mul(neg(a), b), '-a * b'],
    [mul(a, -2), 'a * -2'],
    [pow(a, -1), 'a ^ (-1)'],
    [pow(constant(-2), a), '(-2) ^ a'],
    [sigmoid(add(mul(a, b), c)), 'σ(a * b + c)'],
    [div(tanh(a), sqrt(abs(b))), 'tanh(a) / sqrt(abs(b))'],
    [mul(variable(1), 2), /^v\d+ \* 2$/],
    [dot(a, b, c, 2, a, 1), 'a * b + c * 2 + a'],
    [dot(c, 1, a, b), 'c + a * b'],
    [mul(dot(a, b, c, 1), c), '(a * b + c) * c'],
    [dot(add(a, b), mul(b, c), neg(a), 1), '(a + b) * b * c + -a'],
  ])('%s', (value, expected) => {
    if (typeof expected === 'string') expect(formula(value)).toBe(expected);
    else expect(formula(value)).toMatch(expected);
  });

  it('prints labelled op nodes by label inside, and expands them on request', () => {
    const h = sigmoid(add(mul(a, b), c));
    h.label = 'h';
    const out = mul(h, 2);
    expect(formula(out)).toBe('h * 2');
    expect(formula(h)).toBe('σ(a * b + c)');
    expect(formula(out, { expand: true })).toBe('σ(a * b + c) * 2');
    expect(String(out)).toBe('h * 2');
  });

  it('cuts a sub-formula longer than maxLength', () => {
    let x: Value = a;
    for (let i = 0; i < 40; i++) x = mul(x, x); // 2^40 leaves if printed as a tree
    expect(formula(x, { maxLength: 50 }).length).toBeLessThan(120);
  });

  it('never drops a parenthesis that matters: the printed formula parses back to the same number', () => {
    fc.assert(
      fc.property(randomGraph, ({ build, point }) => {
        const inputs = point.map((x, i) => variable(x, `x${i + 1}`));
        const output = build(inputs);
        const text = formula(output);
        const parsed = parse(text, Object.fromEntries(inputs.map((x) => [x.label!, x.value])));
        const scale = Math.max(1, Math.abs(output.value));
        expect(Math.abs(parsed - output.value) / scale, text).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('latex', () => {
  it.each([
    [div(a, add(b, c)), '\\frac{a}{b + c}'],
    [mul(variable(1, 'w1'), variable(2, 'x1')), 'w_{1} \\cdot x_{1}'],
    [sigmoid(variable(0, 'sum_h1')), '\\sigma\\left(\\mathrm{sum}_{h1}\\right)'],
    [pow(add(a, 1), 2), '\\left(a + 1\\right)^{2}'],
    [sqrt(exp(a)), '\\sqrt{\\exp\\left(a\\right)}'],
    [log(abs(a)), '\\ln\\left(\\left|a\\right|\\right)'],
    [mul(a, 1e-7), 'a \\cdot 1 \\times 10^{-7}'],
    [dot(variable(1, 'w1'), variable(2, 'x1'), variable(3, 'b1'), 1), 'w_{1} \\cdot x_{1} + b_{1}'],
  ])('%s', (value, expected) => {
    expect(latex(value)).toBe(expected);
  });
});

describe('toDot', () => {
  it('draws each node with its name, value and grad, and an edge per input', () => {
    const x = variable(2, 'x');
    const y = mul(x, 3);
    y.label = 'y';
    y.backward();
    const dot = toDot(y);
    expect(dot).toMatch(/^digraph dendrite \{/);
    expect(dot).toContain(`n${x.id} [label="{ x | value 2 | grad 3 }"];`);
    expect(dot).toContain(`n${y.id} [label="{ y | value 6 | grad 1 }"];`);
    expect(dot).toContain(`n${x.id} -> n${y.id};`);
    expect(dot.match(/->/g)).toHaveLength(2);
  });

  it('draws a short dot over named inputs as its sum, and a long one as dot', () => {
    const [w1, x1, b1] = [variable(0.5, 'w1'), variable(2, 'x1'), variable(0.25, 'b1')];
    const sum = dot(w1, x1, b1, 1);
    expect(toDot(sum)).toContain(`n${sum.id} [label="{ w1 * x1 + b1 | value 1.250 | grad 0 }"];`);
    const long = dot(...Array.from({ length: 20 }, () => [w1, x1]).flat());
    expect(toDot(long)).toContain(`n${long.id} [label="{ dot | value 20 | grad 0 }"];`);
    const deep = dot(mul(w1, x1), 1);
    expect(toDot(deep)).toContain(`n${deep.id} [label="{ dot |`);
  });

  it('escapes what DOT records treat as structure', () => {
    expect(toDot(variable(1, 'a|b{c}'))).toContain('a\\|b\\{c\\}');
  });
});

/**
 * Parses and evaluates dendrite's infix notation: + - (sum) < * / (product) < unary - < ^ (right
 * associative) < numbers, names and calls. An independent reading of the printer's output.
 */
function parse(text: string, names: Record<string, number>): number {
  const tokens = text.match(/\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-zσ_][\w]*|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'a token'} at token ${at} of ${text}`);
    }
    return token;
  };
  const functions: Record<string, (x: number) => number> = {
    σ: (x) => 1 / (1 + Math.exp(-x)),
    tanh: Math.tanh,
    exp: Math.exp,
    log: Math.log,
    sqrt: Math.sqrt,
    abs: Math.abs,
    sin: Math.sin,
    cos: Math.cos,
    sign: Math.sign,
    relu: (x) => Math.max(0, x),
    step: (x) => (x > 0 ? 1 : 0),
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-')
      value = take() === '+' ? value + product() : value - product();
    return value;
  };
  const product = (): number => {
    let value = unary();
    while (peek() === '*' || peek() === '/')
      value = take() === '*' ? value * unary() : value / unary();
    return value;
  };
  const unary = (): number => (peek() === '-' ? (take(), -unary()) : power());
  const power = (): number => {
    const base = atom();
    return peek() === '^' ? (take(), base ** power()) : base;
  };
  const atom = (): number => {
    const token = take();
    if (token === '(') {
      const value = sum();
      take(')');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (peek() === '(') {
      take('(');
      const value = sum();
      take(')');
      return functions[token]!(value);
    }
    if (!(token in names)) throw new Error(`unknown name ${token} in ${text}`);
    return names[token]!;
  };
  const value = sum();
  if (at !== tokens.length) throw new Error(`unparsed input after token ${at} of ${text}`);
  return value;
}
