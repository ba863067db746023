import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGradient, evaluate, grad, simplify, variable } from './index.js';
import { randomGraph } from './random-graph.test-helper.js';

describe('random expression graphs', () => {
  it('have automatic gradients equal to finite differences', () => {
    fc.assert(
      fc.property(randomGraph, ({ build, point }) => {
        const check = checkGradient(build, point, { tolerance: 1e-5 });
        expect(check.maxError, JSON.stringify(check.entries)).toBeLessThanOrEqual(1e-5);
      }),
      { numRuns: 300 },
    );
  });

  it('get the same gradient from eager backward and from symbolic grad', () => {
    fc.assert(
      fc.property(randomGraph, ({ build, point }) => {
        const inputs = point.map((x) => variable(x));
        const output = build(inputs);
        output.backward();
        grad(output, inputs).forEach((derivative, i) => {
          const scale = Math.max(1, Math.abs(derivative.value));
          expect(Math.abs(derivative.value - inputs[i]!.grad) / scale).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keep their values through simplify, and after the variables change', () => {
    fc.assert(
      fc.property(
        randomGraph,
        fc.double({ min: -1, max: 1, noNaN: true }),
        ({ build, point }, shift) => {
          const inputs = point.map((x) => variable(x));
          const output = build(inputs);
          const simple = simplify(output);
          expect(simple.value).toBe(output.value);
          inputs.forEach((x) => (x.value += shift));
          const rebuilt = build(point.map((x) => variable(x + shift))).value;
          expect(evaluate(simple)).toBe(rebuilt);
          expect(evaluate(output)).toBe(rebuilt);
        },
      ),
      { numRuns: 300 },
    );
  });
});
