import { describe, expect, it } from 'vitest';
import { AutogradError, compileGradients, dot, dotProduct, variable } from '../index.js';

describe('dotProduct', () => {
  it('is dot over the pairs of two lists: the same node, the same number', () => {
    const [w1, w2, b] = [variable(0.5, 'w1'), variable(-2, 'w2'), variable(0.25, 'b')];
    const sum = dotProduct([w1, w2, b], [3, 0.1, 1]);
    expect(sum.op).toBe(dot.op);
    expect(sum.value).toBe(dot(w1, 3, w2, 0.1, b, 1).value);
    expect(String(sum)).toBe('w1 * 3 + w2 * 0.1 + b');
  });

  it('takes lists of any length, in dots of at most 10,000 pairs, adding left to right as one loop would', () => {
    const n = 200_000; // as one call, 400,000 arguments would overflow the stack
    const a = Array.from({ length: n }, (_, i) => variable(Math.sin(i)));
    const b = Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    let expected = 0;
    for (let i = 0; i < n; i++)
      expected = i === 0 ? a[0]!.value * b[0]! : expected + a[i]!.value * b[i]!;
    const sum = dotProduct(a, b);
    expect(sum.value).toBe(expected);
    // Each dot after the first: (the dots before, 1), then its own pairs.
    for (let node = sum; node.op === dot.op; node = node.inputs[0]!) {
      expect(node.inputs.length).toBeLessThanOrEqual(2 * 10_000);
    }
    sum.backward();
    expect(a.every((x, i) => x.grad === b[i])).toBe(true);
    const sums = new Float64Array(n);
    expect(compileGradients(sum, { inputs: [], parameters: a })([], sums)).toBe(expected);
    expect(Array.from(sums)).toEqual(b);
  }, 60_000);

  it('says what is wrong with its lists', () => {
    expect(() => dotProduct([1, 2], [3])).toThrow(AutogradError);
    expect(() => dotProduct([], [])).toThrow(/two non-empty arrays of the same length/);
    expect(() => dotProduct(5 as never, [1])).toThrow(/got number 5 and an array/);
    expect(() => dotProduct([1, 'w' as never], [2, 3])).toThrow(
      /dotProduct \(a\[1\]\) needs a Value or a number, got/,
    );
  });

  it('builds the node dot builds: its inputs, in order, and its number', () => {
    const [w1, w2, x1] = [variable(0.1), variable(-0.3), variable(0.7)];
    const byList = dotProduct([w1, w2, 2], [x1, 5, 1]);
    const byHand = dot(w1, x1, w2, 5, 2, 1);
    expect(byList.op).toBe(dot.op);
    expect(byList.value).toBe(byHand.value);
    expect(byList.inputs.map((x) => x.value)).toEqual(byHand.inputs.map((x) => x.value));
    expect(byList.inputs.slice(0, 3)).toEqual([w1, x1, w2]);
  });
});
