import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { graphToOnnx, onnxOps } from '../onnx.js';
import { describe, expect, it } from 'vitest';
import * as autograd from '../index.js';
import {
  checkGradient,
  compile,
  compileGradients,
  constant,
  evaluate,
  grad,
  simplify,
  variable,
  zeroGrad,
  ops,
  type OpFunction,
  type OpName,
  type Value,
  type Variable,
} from '../index.js';

const { abs, exp, max, mulNoNan, pow, relu, sigmoid, sign, step, tanh } = ops;
const halfPi = Math.PI / 2;

/** Where to check an op; `wrt` limits which inputs are varied (the others are held constant). */
interface Row {
  points: number[][];
  wrt?: number[];
}

/**
 * The op table: the points to check each op at, one entry per op of `ops` (the compiler insists).
 * The tests below check its partials against finite differences at first and second order, its
 * numeric fast path against its symbolic partials, its compiled code against `evaluate` and its
 * simplify rules against its value. `wrt` is for points where the op is differentiable in some
 * inputs only.
 */
// prettier-ignore
const table: Record<OpName, Row[]> = {
  add:      [{ points: [[0, 0], [1.5, -2], [1e8, -1e8]] }],
  neg:      [{ points: [[0], [-3.5], [1e6]] }],
  mul:      [{ points: [[0, 0], [2, -3], [1e4, 1e-4]] }],
  mulNoNan: [{ points: [[0, 0], [2, -3], [1e4, 1e-4], [0, 5]] }],
  dot:      [{ points: [[2, -3], [1.5, -2, 0.5, 4], [1e4, 1e-4, 3, -7, 2, 1]] }],
  div:      [{ points: [[1, 2], [-3, 0.5], [1e3, -7], [0, 3]] }],
  pow:      [{ points: [[2, 3], [0.5, -1.5], [1.5, 0.5], [3, 0], [10, 2.5]] },
             { points: [[-2, 3], [0, 2], [-1.5, -2]], wrt: [0] }],
  exp:      [{ points: [[0], [1], [-30], [20]] }],
  log:      [{ points: [[1], [0.5], [1e6], [1e-3]] }],
  sqrt:     [{ points: [[1], [4], [1e-4], [1e6]] }],
  abs:      [{ points: [[-2], [3], [1e6]] }],
  sign:     [{ points: [[-2], [3]] }],
  step:     [{ points: [[-2], [3]] }],
  sin:      [{ points: [[0], [halfPi], [-halfPi], [Math.PI], [1e3]] }],
  cos:      [{ points: [[0], [halfPi], [-halfPi], [Math.PI], [1e3]] }],
  tanh:     [{ points: [[0], [0.5], [-3], [20], [-20]] }],
  sigmoid:  [{ points: [[0], [2], [-5], [30], [-30]] }],
  relu:     [{ points: [[-2], [3], [1e6]] }],
  max:      [{ points: [[1, 2], [3, -1], [-1e3, 1e3]] }],
};

const cases = Object.entries(table).flatMap(([name, rows]) =>
  rows.flatMap(({ points, wrt }) =>
    points.map((point) => {
      const op: OpFunction = ops[name as OpName];
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
  ),
);

describe('the op table', () => {
  it('lists in `ops` every op the package exports, each under its own name', () => {
    const exported = Object.entries(autograd).filter(
      (entry): entry is [string, OpFunction] => typeof entry[1] === 'function' && 'op' in entry[1],
    );
    expect(Object.fromEntries(exported)).toEqual(ops);
    for (const [name, op] of Object.entries(ops)) expect(op.op.name).toBe(name);
  });

  it("is the README's list of ops (with `sub` and `dotProduct`, which are composed)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const paragraph = /\*\*Ops\*\*[^]*?\): ([^]*?)There are/.exec(readme)![1]!;
    const listed = [...paragraph.matchAll(/`([a-z][a-zA-Z]*)`/g)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set([...Object.keys(ops), 'sub', 'dotProduct']));
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

describe('the op table, in ONNX', () => {
  it('gives every op an ONNX form, and nothing else', () => {
    expect(Object.keys(onnxOps).sort()).toEqual(Object.keys(ops).sort());
  });

  it.each(cases)('$name: ONNX Runtime computes what `evaluate` does', async ({ op, point }) => {
    const inputs = point.map((x, i) => variable(x, `x${i + 1}`));
    const session = await ort.InferenceSession.create(graphToOnnx([op(...inputs)], { inputs }));
    const feeds = Object.fromEntries(
      point.map((x, i) => [`x${i + 1}`, new ort.Tensor('float64', new Float64Array([x]), [])]),
    );
    const computed = Number((await session.run(feeds)).output1!.data[0]);
    const expected = op.op.evaluate(...point);
    if (Number.isNaN(expected)) expect(computed).toBeNaN();
    // To round-off: relative 1e-14, or 1e-15 absolute (ONNX Runtime's Sigmoid is exact only so
    // far where it is tiny).
    else
      expect(Math.abs(computed - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected) + 1e-15);
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

  it.each(cases)('$name: the tape swept backwards gives its partials', ({ op, point }) => {
    if (typeof op.op.arity === 'number' && op.op.arity > 2) return;
    const inputs = point.map((x) => variable(x));
    const output = op(...inputs);
    for (const mode of ['code', 'tape'] as const) {
      const sums = new Float64Array(inputs.length);
      compileGradients(output, { inputs: [], parameters: inputs, mode })([], sums);
      grad(output, inputs).forEach((partial, k) => {
        const [swept, expected] = [sums[k]!, partial.value];
        const close = Math.abs(swept - expected) <= 1e-14 * Math.abs(expected);
        expect(same(swept, expected) || close, `${mode}: ${swept} vs ${expected}`).toBe(true);
      });
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
 * Derivatives where finite differences cannot go (kinks, limits, saturation): the first
 * derivative in each input, then (in `higher`) the second and third in the first input (the
 * others held constant), the values each must have, the same through `backward`, `grad` with and without simplifying, and
 * compiled code and the tape, whether the lower derivatives were simplified or not. The limits
 * come from the definitions: x¹ is x, so its third derivative is 0 even where x⁻² is infinite.
 */
// prettier-ignore
const limits: { name: string; f: (x: Value[]) => Value; at: number[]; first: number[]; higher?: number[] }[] = [
  { name: 'abs at 0 (subgradient)',  f: ([x]) => abs(x!),         at: [0],    first: [0], higher: [0, 0] },
  { name: 'relu at 0 (subgradient)', f: ([x]) => relu(x!),        at: [0],    first: [0], higher: [0, 0] },
  { name: 'sign at 0',               f: ([x]) => sign(x!),        at: [0],    first: [0], higher: [0, 0] },
  { name: 'max at a tie',            f: ([x, y]) => max(x!, y!),  at: [1, 1], first: [0, 1], higher: [0, 0] },
  { name: 'step at 0',               f: ([x]) => step(x!),        at: [0],    first: [0], higher: [0, 0] },
  ...[0, -0, 1e-300].flatMap((x) => [
    { name: `x^0 at ${Object.is(x, -0) ? '-0' : x}`, f: ([x]: Value[]) => pow(x!, 0), at: [x], first: [0], higher: [0, 0] },
    { name: `x^1 at ${Object.is(x, -0) ? '-0' : x}`, f: ([x]: Value[]) => pow(x!, 1), at: [x], first: [1], higher: [0, 0] },
    { name: `x^2 at ${Object.is(x, -0) ? '-0' : x}`, f: ([x]: Value[]) => pow(x!, 2), at: [x], first: [2 * x], higher: [2, 0] },
    { name: `x^3 at ${Object.is(x, -0) ? '-0' : x}`, f: ([x]: Value[]) => pow(x!, 3), at: [x], first: [3 * x * x], higher: [6 * x, 6] },
  ]),
  { name: 'x^y at (0, 2)',           f: ([x, y]) => pow(x!, y!),  at: [0, 2], first: [0, 0], higher: [2, 0] },
  { name: 'x^y at (0, 1)',           f: ([x, y]) => pow(x!, y!),  at: [0, 1], first: [1, 0], higher: [0, 0] },
  { name: 'x^y at (1e-300, 1)',      f: ([x, y]) => pow(x!, y!),  at: [1e-300, 1], first: [1, 1e-300 * Math.log(1e-300)], higher: [0, 0] },
  { name: '0^y at 3',                f: ([y]) => pow(0, y!),      at: [3],    first: [0], higher: [0, 0] },
  { name: 'mulNoNan at (0, 0)',      f: ([x, y]) => mulNoNan(x!, y!), at: [0, 0], first: [0, 0], higher: [0, 0] },
  { name: 'sigmoid at 800',          f: ([x]) => sigmoid(x!),     at: [800],  first: [0], higher: [0, 0] },
  { name: 'sigmoid at -800',         f: ([x]) => sigmoid(x!),     at: [-800], first: [0], higher: [0, 0] },
  { name: 'tanh at 800',             f: ([x]) => tanh(x!),        at: [800],  first: [0], higher: [0, 0] },
  { name: 'exp at -800',             f: ([x]) => exp(x!),         at: [-800], first: [0], higher: [0, 0] },
];

describe('derivatives at limits', () => {
  it.each(limits)('$name', ({ f, at, first, higher = [] }) => {
    /** The derivatives of `output` in `xs`, every way the engine computes them. */
    const ways = (xs: Variable[], output: Value): Record<string, number[]> => {
      const point = xs.map((x) => x.value);
      zeroGrad(xs);
      output.backward();
      const raw = grad(output, xs, { simplify: false });
      return {
        backward: xs.map((x) => x.grad),
        grad: evaluate(grad(output, xs)),
        'grad (not simplified)': evaluate(raw),
        code: [...compile(raw, { inputs: xs, mode: 'code' })(point)],
        tape: [...compile(raw, { inputs: xs, mode: 'tape' })(point)],
      };
    };
    const xs = at.map((x) => variable(x));
    for (const [way, slopes] of Object.entries(ways(xs, f(xs)))) {
      expect(
        slopes.map((s) => s + 0),
        way,
      ).toEqual(first.map((s) => s + 0));
    }
    // Higher orders in the first input, the others held constant.
    const x = variable(at[0]!);
    const held = [x, ...at.slice(1).map((y) => constant(y))];
    for (const simplifyFirst of [true, false]) {
      let slope = f(held);
      higher.forEach((expected, i) => {
        slope = grad(slope, x, { simplify: simplifyFirst });
        for (const [way, [derivative]] of Object.entries(ways([x], slope))) {
          const order = `order ${i + 2}, lower orders simplified: ${simplifyFirst}`;
          expect(derivative! + 0, `${way}, ${order}`).toBe(expected + 0);
        }
      });
    }
  });
});
