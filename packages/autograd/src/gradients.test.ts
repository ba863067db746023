import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  add,
  compile,
  compileGradients,
  defineOp,
  div,
  dot,
  grad,
  mul,
  sigmoid,
  sub,
  tanh,
  variable,
  type CompiledGradients,
  type Value,
} from './index.js';
import { randomGraph } from './random-graph.test-helper.js';

/** A neuron's sum as users write it: w1·x1 + w2·x2 + … + b, then an activation. */
const neuron = (weights: Value[], inputs: Value[], bias: Value) => {
  let sum: Value = mul(weights[0]!, inputs[0]!);
  for (let i = 1; i < weights.length; i++) sum = add(sum, mul(weights[i]!, inputs[i]!));
  return tanh(add(sum, bias));
};

/** The same neuron as dendrite's networks build it: one `dot` node, the bias as the pair (b, 1). */
const dotNeuron = (weights: Value[], inputs: Value[], bias: Value) =>
  tanh(dot(...weights.flatMap((w, i) => [w, inputs[i]!]), bias, 1));

describe('compileGradients', () => {
  it('gives the loss and the gradients of backward, on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, ({ build, point }) => {
        const parameters = point.map((x) => variable(x));
        const output = build(parameters);
        output.backward();
        const step = compileGradients(output, { inputs: [], parameters });
        const sums = new Float64Array(parameters.length);
        expect(step([], sums)).toBe(output.value);
        parameters.forEach((p, i) => {
          const scale = Math.max(1, Math.abs(p.grad));
          expect(Math.abs(sums[i]! - p.grad) / scale).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('runs a layer as sums of products, to the bit of its chain of adds', () => {
    const x = [variable(0, 'x1'), variable(0, 'x2'), variable(0, 'x3')];
    const w = [0.3, -1.7, 0.25, 2.5, 0.125, -0.5].map((v) => variable(v));
    const b = [variable(0.1), variable(-0.2)];
    const y = variable(0, 'y');
    const hidden = [neuron(w.slice(0, 3), x, b[0]!), neuron(w.slice(3), x, b[1]!)];
    const loss = mul(
      sub(sigmoid(add(hidden[0]!, hidden[1]!)), y),
      sub(sigmoid(add(hidden[0]!, hidden[1]!)), y),
    );
    const parameters = [...w, ...b];
    const step = compileGradients(loss, { inputs: [...x, y], parameters });
    const symbolic = compile([loss, ...grad(loss, parameters)], {
      inputs: [...x, y],
      parameters,
      mode: 'code',
    });
    for (const sample of [
      [1, 2, 3, 1],
      [-0.5, 0.25, 4, 0],
      [1e3, -1e-3, 7, 1],
    ]) {
      const sums = new Float64Array(parameters.length);
      const [value, ...gradients] = symbolic(sample);
      expect(step(sample, sums)).toBe(value);
      gradients.forEach((g, i) => expect(sums[i]).toBeCloseTo(g, 14));
    }
  });

  it.each([
    ['a chain of adds', neuron],
    ['a dot node', dotNeuron],
  ])(
    "gives backward's gradients for a network laid out as dendrite lays it out, each neuron %s (loops over consecutive slots)",
    (_, neuron) => {
      // Two tanh layers, 5-4-3: each neuron's weights then its bias, consecutive parameters.
      const sizes = [5, 4, 3];
      const inputs = Array.from({ length: sizes[0]! }, (_, i) =>
        variable(Math.sin(i + 1), `x${i}`),
      );
      const parameters: Value[] = [];
      let layer: Value[] = inputs;
      for (let l = 1; l < sizes.length; l++) {
        layer = Array.from({ length: sizes[l]! }, (_, j) => {
          const w = layer.map((_, i) => variable(Math.cos(7 * l + 3 * j + i)));
          const b = variable(0.1 * j);
          parameters.push(...w, b);
          return neuron(w, layer, b);
        });
      }
      const loss = layer.reduce((sum, y) => add(sum, mul(y, y)));
      loss.backward();
      const step = compileGradients(loss, { inputs, parameters });
      const sums = new Float64Array(parameters.length);
      expect(
        step(
          inputs.map((x) => x.value),
          sums,
        ),
      ).toBe(loss.value);
      parameters.forEach((p, i) => expect(sums[i]).toBeCloseTo(p.grad, 14));
    },
  );

  it('runs a dot node to the bit of the chain of adds it stands for, forward and backward', () => {
    const x = [variable(0, 'x1'), variable(0, 'x2'), variable(0, 'x3')];
    const w = [0.3, -1.7, 0.25].map((v) => variable(v));
    const b = variable(0.1, 'b');
    const parameters = [...w, b];
    const steps = [neuron, dotNeuron].map((form) =>
      compileGradients(form(w, x, b), { inputs: x, parameters }),
    );
    for (const sample of [
      [1, 2, 3],
      [-0.5, 1 / 3, 4e-7],
      [1e3, -1e-3, 7],
    ]) {
      const [chain, fused] = [new Float64Array(4), new Float64Array(4)];
      expect(steps[1]!(sample, fused)).toBe(steps[0]!(sample, chain));
      expect(fused).toEqual(chain);
    }
  });

  it("writes the tape out as code that gives the interpreted tape's numbers to the bit, on random graphs", () => {
    fc.assert(
      fc.property(randomGraph, ({ build, point }) => {
        const parameters = point.map((x) => variable(x));
        const output = build(parameters);
        const [code, tape] = (['code', 'tape'] as const).map((mode) =>
          compileGradients(output, { inputs: [], parameters, mode }),
        );
        expect([code!.mode, tape!.mode]).toEqual(['code', 'tape']);
        expectSameRuns(code!, tape!, [[]], parameters.length);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['every sum written out', [3, 5, 4, 1], 'code'],
    ['its long sums called', [2, 16, 16, 1], 'code'],
    ['the tape interpreted', [4, 64, 48, 1], 'tape'],
  ] as const)(
    'runs a network with %s (%j) to the bit of the interpreted tape',
    (_, sizes, auto) => {
      // Every third neuron takes its inputs in a scrambled order, so its pairs are not evenly spaced.
      const inputs = Array.from({ length: sizes[0] }, (_, i) => variable(0, `x${i}`));
      const parameters: Value[] = [];
      let layer: Value[] = inputs;
      for (let l = 1; l < sizes.length; l++) {
        layer = Array.from({ length: sizes[l]! }, (_, j) => {
          const w = layer.map((_, i) => variable(Math.cos(7 * l + 3 * j + i) / 2));
          const b = variable(0.1 * j);
          parameters.push(...w, b);
          const from = j % 3 === 2 ? [...layer].reverse() : layer;
          return dotNeuron(w, from, b);
        });
      }
      const loss = mul(sub(layer[0]!, 0.5), sub(layer[0]!, 0.5));
      const compiled = (mode: 'auto' | 'code' | 'tape') =>
        compileGradients(loss, { inputs, parameters, mode });
      expect(compiled('auto').mode).toBe(auto);
      const samples = [inputs.map((_, i) => Math.sin(i)), inputs.map((_, i) => 1e3 * (i - 1))];
      expectSameRuns(compiled('code'), compiled('tape'), samples, parameters.length);
    },
  );

  it('writes out ops you define, with or without emit and numeric partials, as the tape runs them', () => {
    const softplus = defineOp({
      name: 'softplus',
      arity: 1,
      evaluate: (x) => Math.log1p(Math.exp(x)),
      partials: ([x]) => [sigmoid(x)],
    });
    const hypot = defineOp({
      name: 'hypot',
      arity: 2,
      evaluate: (a, b) => Math.hypot(a, b),
      partials: ([a, b], y) => [div(a, y), div(b, y)],
      numericPartial: (index, y, a, b) => (index === 0 ? a : b) / y,
      emit: (a, b) => `Math.hypot(${a}, ${b})`,
    });
    const [u, v] = [variable(0.3, 'u'), variable(-1.2, 'v')];
    const x = variable(0, 'x');
    const loss = softplus(mul(hypot(mul(u, x), v), tanh(softplus(u))));
    const [code, tape] = (['code', 'tape'] as const).map((mode) =>
      compileGradients(loss, { inputs: [x], parameters: [u, v], mode }),
    );
    expectSameRuns(code!, tape!, [[0.5], [-3], [0]], 2);
  });

  it('writes the code for a tape of the same shape once, so a second network runs warm code', () => {
    const form = (w: number) => {
      const [x, weight] = [variable(0, 'x'), variable(w, 'w')];
      return { x, weight, loss: tanh(mul(add(mul(weight, x), 0.25), x)) };
    };
    const made = vi.spyOn(globalThis, 'Function');
    try {
      const compiled = ({ x, weight, loss }: ReturnType<typeof form>) =>
        compileGradients(loss, { inputs: [x], parameters: [weight], mode: 'code' });
      const first = compiled(form(0.5));
      const calls = made.mock.calls.length;
      const second = compiled(form(-2));
      expect(made.mock.calls.length).toBe(calls);
      const sums = [new Float64Array(1), new Float64Array(1)];
      expect(first([3], sums[0])).toBe(Math.tanh((0.5 * 3 + 0.25) * 3));
      expect(second([3], sums[1])).toBe(Math.tanh((-2 * 3 + 0.25) * 3));
      expect(sums[0]![0]).not.toBe(sums[1]![0]);
    } finally {
      made.mockRestore();
    }
  });

  it('falls back to the interpreted tape where generated code is forbidden', () => {
    const x = variable(3, 'x');
    vi.stubGlobal('Function', function forbidden() {
      throw new EvalError('code generation from strings disallowed');
    });
    try {
      const step = compileGradients(mul(x, x), { inputs: [], parameters: [x] });
      expect(step.mode).toBe('tape');
      const sums = new Float64Array(1);
      expect(step([], sums)).toBe(9);
      expect(sums[0]).toBe(6);
      expect(() =>
        compileGradients(mul(x, x), { inputs: [], parameters: [x], mode: 'code' }),
      ).toThrow(
        /compileGradients: mode 'code' could not write the tape out as code \(code generation from strings disallowed\); use mode 'tape'/,
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('adds to the sums it is given, whatever they hold', () => {
    const w = variable(2, 'w');
    const x = variable(0, 'x');
    const step = compileGradients(mul(w, mul(x, x)), { inputs: [x], parameters: [w] });
    const sums = new Float64Array([1]);
    expect(step([3], sums)).toBe(18);
    expect(sums[0]).toBe(10);
    expect(step([Infinity], sums)).toBe(Infinity);
    expect(sums[0]).toBe(Infinity);
  });

  it('handles a sum of 50,000 terms without a deep recursion', () => {
    const inputs = Array.from({ length: 50_000 }, () => variable(0));
    const w = variable(1, 'w');
    let total: Value = mul(w, inputs[0]!);
    for (let i = 1; i < inputs.length; i++) total = add(total, mul(w, inputs[i]!));
    const step = compileGradients(total, { inputs, parameters: [w] });
    const sums = new Float64Array(1);
    expect(step(new Float64Array(inputs.length).fill(0.5), sums)).toBe(25_000);
    expect(sums[0]).toBe(25_000);
  }, 60_000);

  it('names what it cannot take', () => {
    const x = variable(1, 'x');
    const clamp = defineOp({
      name: 'clamp3',
      arity: 3,
      evaluate: (a, lo, hi) => Math.min(Math.max(a, lo), hi),
      partials: () => [variable(1), variable(0), variable(0)],
    });
    expect(() => compileGradients(clamp(x, 0, 2), { inputs: [], parameters: [x] })).toThrow(
      /op clamp3 takes 3 inputs/,
    );
    expect(() => compileGradients(mul(x, 2), { inputs: [x], parameters: [x] })).toThrow(
      /leaf x is both an input and a parameter/,
    );
    const step = compileGradients(mul(x, 2), { inputs: [], parameters: [x] });
    expect(() => step([1], new Float64Array(1))).toThrow(/take 0 inputs and 1 gradient sums/);
    expect(() => step(undefined as never)).toThrow(/take 0 inputs .* got undefined/);
    expect(() =>
      compileGradients(mul(x, 2), { inputs: [], parameters: [x], mode: 'fast' as never }),
    ).toThrow("compileGradients: mode is 'auto', 'code' or 'tape', got the string \"fast\"");
  });
});

/**
 * Two compiled losses that give the same numbers to the bit: the loss, forward only and with
 * gradients, and the gradients added to sums that start at 1.
 */
function expectSameRuns(
  first: CompiledGradients,
  second: CompiledGradients,
  samples: number[][],
  parameterCount: number,
): void {
  for (const sample of samples) {
    const sums = [first, second].map(() => new Float64Array(parameterCount).fill(1));
    const losses = [first(sample), second(sample), first(sample, sums[0]), second(sample, sums[1])];
    for (const loss of losses) expect(Object.is(loss, losses[0])).toBe(true);
    sums[0]!.forEach((sum, i) => expect(Object.is(sum, sums[1]![i]), `sum ${i}`).toBe(true));
  }
}
