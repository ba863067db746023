import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  add,
  AutogradError,
  compile,
  defineOp,
  dot,
  evaluate,
  grad,
  mul,
  runPortable,
  sigmoid,
  sub,
  tanh,
  variable,
  type Value,
} from './index.js';
import { randomGraph } from './random-graph.test-helper.js';

describe('compile', () => {
  it.each(['code', 'tape'] as const)(
    'gives exactly what evaluating the graphs gives (%s, and as a portable tape), for random graphs and their gradients',
    (mode) => {
      fc.assert(
        fc.property(
          randomGraph,
          fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 3 }),
          ({ build, point }, other) => {
            const inputs = point.map((x, i) => variable(x, `x${i + 1}`));
            const output = build(inputs);
            const outputs = [output, ...grad(output, inputs)];
            const compiled = compile(outputs, { inputs, mode });
            expect(compiled.mode).toBe(mode);
            inputs.forEach((x, i) => (x.value = other[i]!));
            const expected = evaluate(outputs);
            expect([...compiled(other)]).toEqual(expected);
            // A tape sent to another thread (a structured clone, as postMessage makes) runs the same.
            if (mode === 'tape') {
              const portable = runPortable(structuredClone(compiled.portable!()));
              expect([...portable(other)]).toEqual(expected);
            }
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it('binds parameters to an array an optimizer can update in place, and syncs them both ways', () => {
    const x = variable(0, 'x');
    const w = variable(0.5, 'w');
    const b = variable(0.1, 'b');
    const out = tanh(add(mul(w, x), b));
    const forward = compile([out], { inputs: [x], parameters: [w, b] });
    expect([...forward.parameters]).toEqual([0.5, 0.1]);
    expect(forward.parameterValues).toEqual([w, b]);
    forward.parameters[0] = 2;
    expect(forward([3])[0]).toBe(Math.tanh(2 * 3 + 0.1));
    forward.syncToValues();
    expect(w.value).toBe(2);
    b.value = -1;
    forward.syncFromValues();
    expect(forward([3])[0]).toBe(Math.tanh(2 * 3 - 1));
  });

  it('finds the parameters itself when not told, and writes into a given array', () => {
    const x = variable(1, 'x');
    const w = variable(3, 'w');
    const compiled = compile([mul(w, x), sub(x, 1)], { inputs: [x] });
    expect(compiled.parameterValues).toEqual([w]);
    const out = new Float64Array(2);
    expect(compiled([2], out)).toBe(out);
    expect([...out]).toEqual([6, 1]);
  });

  it('shows its source: straight-line code with shared sub-expressions and folded constants', () => {
    const x = variable(0, 'x');
    const s = sigmoid(x);
    const compiled = compile([mul(s, sub(1, s)), mul(add(2, 3), x)], { inputs: [x] });
    expect(compiled.source).toBeDefined();
    expect(compiled.source!.match(/Math\.exp/g)).toHaveLength(1); // σ(x) computed once
    expect(compiled.source).toContain('5 * x[0]'); // 2 + 3 folded
    expect(compiled.source).not.toMatch(/for|while/);
  });

  it('runs an op without an emitter, in code and on the tape', () => {
    const cube = defineOp({
      name: 'cube',
      arity: 1,
      evaluate: (x) => x ** 3,
      partials: ([x]) => [mul(3, mul(x!, x!))],
    });
    const x = variable(0, 'x');
    for (const mode of ['code', 'tape'] as const) {
      const compiled = compile([cube(x), grad(cube(x), x)], { inputs: [x], mode });
      expect([...compiled([2])]).toEqual([8, 12]);
    }
  });

  it('refuses forced code mode for a graph too large for one function, naming the limit', () => {
    const x = variable(0.5, 'x');
    let chain: Value = x;
    for (let i = 0; i < 200_000; i++) chain = add(mul(chain, 0.5), 1);
    // Either V8 takes the function (a larger stack, say) and it computes, or the error is ours.
    try {
      expect(compile([chain], { inputs: [x], mode: 'code' })([0.5])[0]).toBeCloseTo(2, 12);
    } catch (error) {
      expect(error).toBeInstanceOf(AutogradError);
      expect((error as Error).message).toMatch(/400,003 nodes .*use mode 'tape'.*3,000 nodes/);
    }
    expect(compile([chain], { inputs: [x], mode: 'tape' })([0.5])[0]).toBeCloseTo(2, 12);
  });

  it('compiles a graph of a million inputs (linear in their number, not quadratic)', () => {
    const inputs = Array.from({ length: 1_000_000 }, (_, i) => variable(i));
    let total: Value = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) total = add(total, inputs[i]!);
    const summed = compile([total], { inputs });
    expect(summed.parameters).toHaveLength(0);
    expect(summed(inputs.map(() => 1))[0]).toBe(1_000_000);
  });

  it('chooses the tape for a very large graph, and when generated code is forbidden', () => {
    const x = variable(0, 'x');
    let big: Value = x;
    for (let i = 0; i < 30_000; i++) big = add(mul(big, 0.5), x);
    const large = compile([big], { inputs: [x] });
    expect(large.mode).toBe('tape');
    expect(large([1])[0]).toBeCloseTo(2, 12);

    // A dot counts as the products and sums it stands for: a few nodes can be a long function.
    const weights = Array.from({ length: 2_000 }, (_, i) => variable(1 / (i + 1)));
    const wide = (n: number) => tanh(dot(...weights.slice(0, n).flatMap((w) => [w, x])));
    expect(compile([wide(2_000)], { inputs: [x] }).mode).toBe('tape');
    expect(compile([wide(100)], { inputs: [x] }).mode).toBe('code');

    vi.stubGlobal('Function', function forbidden() {
      throw new EvalError('code generation from strings disallowed');
    });
    try {
      const small = compile([mul(x, 2)], { inputs: [x] });
      expect(small.mode).toBe('tape');
      expect(small([4])[0]).toBe(8);
      expect(() => compile([mul(x, 2)], { inputs: [x], mode: 'code' })).toThrow(
        /mode 'code' could not generate one function .*code generation from strings disallowed.*use mode 'tape'/,
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('says what is wrong', () => {
    const x = variable(0, 'x');
    const w = variable(1, 'w');
    expect(() => compile([mul(w, x)], { inputs: [x], parameters: [] })).toThrow(
      'compile: variable w is neither an input nor a parameter',
    );
    expect(() => compile([mul(w, x)], { inputs: [x], parameters: [x, w] })).toThrow(AutogradError);
    expect(() => compile([mul(w, x)], { inputs: [x] })([1, 2])).toThrow(
      'compiled function takes 1 inputs, got 2',
    );
  });
});
