import fc from 'fast-check';
import { expect } from 'vitest';
import {
  add,
  cos,
  div,
  dot,
  exp,
  log,
  mul,
  neg,
  pow,
  sigmoid,
  sin,
  sqrt,
  sub,
  tanh,
  type Value,
} from './index.js';

type Step = (a: Value, b: Value) => Value;

/** Steps that stay smooth and finite for any finite inputs, so finite differences are reliable. */
const steps: Step[] = [
  (a, b) => add(a, b),
  (a, b) => sub(a, b),
  (a, b) => mul(a, b),
  (a, b) => dot(a, b, b, 0.5, a, 1),
  (a, b) => dot(1, a, tanh(b), b),
  (a, b) => div(a, add(1, mul(b, b))),
  (a) => pow(a, 2),
  (a, b) => pow(add(2, tanh(a)), b),
  (a) => neg(a),
  (a) => sin(a),
  (a) => cos(a),
  (a) => tanh(a),
  (a) => sigmoid(a),
  (a) => exp(tanh(a)),
  (a) => log(add(1, mul(a, a))),
  (a) => sqrt(add(1, mul(a, a))),
];

/**
 * A random expression graph over three inputs: each step applies an op to earlier nodes (so
 * nodes are shared, as in real graphs), and the last node is the output. Test-only.
 */
export const randomGraph = fc
  .record({
    program: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
    point: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), {
      minLength: 3,
      maxLength: 3,
    }),
  })
  .map(({ program, point }) => ({
    point,
    build(inputs: Value[]): Value {
      const pool = [...inputs];
      for (const [kind, left, right] of program) {
        pool.push(
          steps[kind % steps.length]!(pool[left % pool.length]!, pool[right % pool.length]!),
        );
      }
      return pool[pool.length - 1]!;
    },
  }));

/** A number to run a graph at. Test-only. */
export const point = fc.double({ min: -2, max: 2, noNaN: true });

/** One to nine examples of two numbers (an input and a target), and a width to run them in lanes. */
export const examplesInLanes = fc.tuple(
  fc.array(fc.tuple(point, point), { minLength: 1, maxLength: 9 }),
  fc.integer({ min: 1, max: 4 }),
);

/** The same doubles, to the bit (or both NaN; 0 and −0 alike, as one example at a time may). */
export function expectSameBits(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [actual[i]!, expected[i]!];
    if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || (a === 0 && b === 0))) {
      expect.fail(`${what}[${i}]: ${a} where one example at a time gives ${b}`);
    }
  }
}
