import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  compile,
  compileGradients,
  constant,
  cos,
  defineOp,
  div,
  dot,
  exp,
  log,
  max,
  mul,
  mulNoNan,
  neg,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  step,
  sub,
  tanh,
  variable,
  type Value,
} from '../index.js';
import {
  examplesInLanes,
  expectSameBits,
  point,
  randomGraph,
} from '../random-graph.test-helper.js';
import { buildTape } from './build.js';
import { lanesOf } from './lanes.js';
import { layout } from './layout.js';
import { runLanes } from './run-lanes.js';
import { sweepLanes } from './sweep-lanes.js';

/**
 * A loss over `inputCount` inputs and the parameters, compiled both ways: its losses and summed
 * gradients over the examples one at a time (tape and written code), and all at once in lanes
 * of `width`, from the same starting sums, must agree to the bit.
 */
function expectLanesAgree(
  loss: Value,
  inputs: Value[],
  parameters: Value[],
  examples: number[][],
  width: number,
) {
  const start = Float64Array.from(parameters, (_, i) => 0.25 * i - 0.5);
  const one = compileGradients(loss, { inputs, parameters, mode: 'tape' });
  const sums = start.slice();
  const losses = examples.map((x) => one(x, sums));
  const written = compileGradients(loss, { inputs, parameters, mode: 'code' });
  const writtenSums = start.slice();
  expectSameBits(
    examples.map((x) => written(x, writtenSums)),
    losses,
    'losses (code)',
  );
  expectSameBits(writtenSums, sums, 'gradient sums (code)');
  // In lanes: by `batched` (its neurons' loops WebAssembly), and with JavaScript loops only.
  const tape = buildTape(layout([loss], { inputs, parameters }, 'test'), [loss]);
  const javascript = lanesOf(tape, width, false);
  const batched = one.batched(width);
  type Run = (x: ArrayLike<number>, count: number, gradients: Float64Array) => Float64Array;
  const ways: Record<string, [Run, Float64Array]> = {
    batched: [batched, new Float64Array(parameters.length)],
    // (the sums in its own memory, added to with no copies)
    'batched, its own sums': [batched, batched.gradientSums],
    'JavaScript lanes': [
      (x, count, gradients) => {
        const out = new Float64Array(count);
        runLanes(javascript, x, count, out);
        sweepLanes(javascript, count, gradients);
        return out;
      },
      new Float64Array(parameters.length),
    ],
  };
  for (const [way, [run, laneSums]] of Object.entries(ways)) {
    laneSums.set(start);
    const laneLosses: number[] = [];
    for (let from = 0; from < examples.length; from += width) {
      const batch = examples.slice(from, from + width);
      laneLosses.push(...run(batch.flat(), batch.length, laneSums));
    }
    expectSameBits(laneLosses, losses, `losses (${way})`);
    expectSameBits(laneSums, sums, `gradient sums (${way})`);
  }
}

describe('a tape run in lanes, many examples at once', () => {
  it('gives the losses and summed gradients of one example at a time, on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, examplesInLanes, ({ build }, [examples, width]) => {
        // One input and two parameters, each read many times; the target a second input.
        const [x, y] = [variable(0, 'x'), variable(0, 'y')];
        const [p, q] = [variable(0.3, 'p'), variable(-0.7, 'q')];
        const loss = pow(sub(build([x, p, q]), y), 2);
        expectLanesAgree(loss, [x, y], [p, q], examples, width);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it.each([
    ['abs', (a: Value) => abs(a)],
    ['relu', (a: Value) => relu(a)],
    ['sign', (a: Value) => sign(a)],
    ['step', (a: Value) => step(a)],
    ['neg', (a: Value) => neg(a)],
    ['exp', (a: Value) => exp(a)],
    ['log', (a: Value) => log(a)],
    ['sqrt', (a: Value) => sqrt(a)],
    ['sin', (a: Value) => sin(a)],
    ['cos', (a: Value) => cos(a)],
    ['tanh', (a: Value) => tanh(a)],
    ['sigmoid', (a: Value) => sigmoid(a)],
    ['add', (a: Value, b: Value) => add(a, b)],
    ['mul', (a: Value, b: Value) => mul(a, b)],
    ['div', (a: Value, b: Value) => div(a, b)],
    ['pow', (a: Value, b: Value) => pow(a, b)],
    ['max', (a: Value, b: Value) => max(a, b)],
    ['mulNoNan', (a: Value, b: Value) => mulNoNan(a, b)],
    ['an op you define', (a: Value, b: Value) => cube(a, b)],
  ])('runs %s as one example at a time does, at its limits too', (_, f) => {
    const [x, y] = [variable(0, 'x'), variable(0, 'y')];
    const [w, v] = [variable(0.5, 'w'), variable(-1.5, 'v')];
    const loss = mul(f(mul(w, x), add(v, y)), w);
    const special = [0, -0, 1, -1, 0.5, 2, -3, 1e-300, Infinity, -Infinity, NaN];
    const examples = special.flatMap((a) => special.map((b) => [a, b]));
    expectLanesAgree(loss, [x, y], [w, v], examples, 7);
  });

  it.each([
    ['relu', relu],
    ['tanh', tanh],
  ] as const)(
    "runs a network's neurons as loops over the lanes, to the bit (%s)",
    (_, act) => {
      // Layers of neurons (each a `dot`), then a tanh output: weights read once per batch, a
      // layer's neurons two at a time; with relu, the lanes whose adjoint is 0 (below 0) pass
      // nothing on, as one example at a time does. Nine inputs and ten neurons: the loops' groups
      // of eight, two and one all run.
      const inputs = Array.from({ length: 9 }, (_, i) => variable(0, `x${i}`));
      const target = variable(0, 't');
      const parameters: Value[] = [];
      const neuron = (xs: Value[], activation: (z: Value) => Value) => {
        const ws = xs.map((_, i) => variable(Math.sin(parameters.length + i), 'w'));
        const b = variable(0.1, 'b');
        parameters.push(...ws, b);
        return activation(dot(...ws.flatMap((w, i) => [w, xs[i]!]), b, 1));
      };
      const first = Array.from({ length: 10 }, () => neuron(inputs, act));
      const second = Array.from({ length: 5 }, () => neuron(first, act));
      const out = neuron(second, tanh);
      const loss = mul(0.5, pow(sub(out, target), 2));
      fc.assert(
        fc.property(
          fc.array(fc.array(point, { minLength: 10, maxLength: 10 }), {
            minLength: 1,
            maxLength: 30,
          }),
          fc.integer({ min: 1, max: 12 }),
          (examples, width) =>
            expectLanesAgree(loss, [...inputs, target], parameters, examples, width),
        ),
        { numRuns: 60 },
      );
    },
    60_000,
  );

  it('runs weights shared by several neurons (as a GPT applies a layer at every position)', () => {
    // One row of weights applied to two positions' inputs: each neuron's loops read the same
    // weights, whose gradients gain both parts per example, then one example after another.
    const xs = Array.from({ length: 8 }, (_, i) => variable(0, `x${i}`));
    const ws = Array.from({ length: 4 }, (_, i) => variable(0.3 * i - 0.4, `w${i}`));
    const b = variable(0.2, 'b');
    const position = (p: number) => tanh(dot(...ws.flatMap((w, i) => [w, xs[4 * p + i]!]), b, 1));
    const loss = mul(position(0), position(1));
    fc.assert(
      fc.property(
        fc.array(fc.array(point, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (examples, width) => expectLanesAgree(loss, xs, [...ws, b], examples, width),
      ),
      { numRuns: 50 },
    );
    const tape = buildTape(layout([loss], { inputs: xs, parameters: [...ws, b] }, 'test'), [loss]);
    expect([...tape.sums.sharedWeights]).toEqual([1, 1]); // (both sums run as loops)
  });

  it("is bound to its own parameters, a copy of the compiled function's", () => {
    const [x, w] = [variable(0, 'x'), variable(2, 'w')];
    const loss = compileGradients(mul(w, x), { inputs: [x], parameters: [w] });
    const batched = loss.batched(3);
    expect([...batched.parameters]).toEqual([2]);
    loss.parameters[0] = 5; // (the compiled function's own, not the batched one's)
    expect([...batched([1, 2, 3], 3)]).toEqual([2, 4, 6]);
    batched.parameters[0] = -1;
    batched.syncToValues();
    expect(w.value).toBe(-1);
    w.value = 4;
    batched.syncFromValues();
    expect([...batched([1, 2], 2)]).toEqual([4, 8]);
  });

  it('runs a compiled function of many outputs for many examples, as one at a time does', () => {
    const [x, y] = [variable(0, 'x'), variable(0, 'y')];
    const w = variable(2, 'w');
    const outputs = [mul(w, x), tanh(add(x, y)), w, constant(3)];
    for (const mode of ['code', 'tape'] as const) {
      const f = compile(outputs, { inputs: [x, y], parameters: [w], mode });
      f.parameters[0] = 0.75; // (changed after compiling: both ways read the new value)
      const rows = [
        [1, 2],
        [-0.5, 0.25],
        [3, -4],
      ];
      const out = f.batched(2)(rows.flat(), 2);
      expectSameBits(out, [...f(rows[0]!), ...f(rows[1]!)], `outputs (${mode})`);
    }
  });

  it('refuses a batch it cannot run, saying why', () => {
    const x = variable(0, 'x');
    const w = variable(1, 'w');
    const batched = compileGradients(mul(w, x), { inputs: [x], parameters: [w] }).batched(4);
    expect(() => batched([1, 2, 3, 4, 5], 5)).toThrow(
      'a batched loss takes 1 to 4 examples at once, got number 5',
    );
    expect(() => batched([1], 2)).toThrow(/takes 1 inputs per example, 2 for 2/);
    expect(() => batched([1], 1, new Float64Array(2))).toThrow(/takes 1 gradient sums/);
    expect(() => compileGradients(x, { inputs: [x] }).batched(0)).toThrow(/above 0, got number 0/);
  });
});

const cube = defineOp({
  name: 'cubeOf',
  arity: 2,
  evaluate: (a, b) => a * a * a + b,
  partials: ([a]) => [mul(3, mul(a!, a!)), constant(1)],
});
