import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, compileGradients, dot, pow, sub, tanh, variable } from './index.js';
import { examplesInLanes, expectSameBits, randomGraph } from './random-graph.test-helper.js';

describe('compileGradients with outputs beside the loss', () => {
  it('trains as without them, and scores as compile does, to the bit, on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, examplesInLanes, ({ build }, [examples, width]) => {
        const [x, y] = [variable(0, 'x'), variable(0, 'y')];
        const [p, q] = [variable(0.3, 'p'), variable(-0.7, 'q')];
        const output = build([x, p, q]);
        const loss = pow(sub(output, y), 2);
        // An inner node, a parameter and an input beside the loss.
        const outputs = [output, p, x];
        const leaves = { inputs: [x, y], parameters: [p, q] };
        const alone = compileGradients(loss, { ...leaves, mode: 'tape' }).batched(width);
        const beside = compileGradients(loss, { ...leaves, mode: 'tape', outputs });
        const both = beside.batched(width);
        const scored = compile([loss, ...outputs], { ...leaves, simplify: false });
        const sumsAlone = new Float64Array(2);
        const sumsBeside = new Float64Array(2);
        const sumsOne = new Float64Array(2);
        for (let from = 0; from < examples.length; from += width) {
          const batch = examples.slice(from, from + width);
          const inputs = batch.flat();
          const losses = alone(inputs, batch.length, sumsAlone);
          expectSameBits(both(inputs, batch.length, sumsBeside), losses, 'losses');
          const expected = batch.flatMap((example) => [...scored(example)]);
          expectSameBits(both.forward(inputs, batch.length), expected, 'loss and outputs');
          batch.forEach((example) => beside(example, sumsOne));
        }
        expectSameBits(sumsBeside, sumsAlone, 'gradient sums');
        expectSameBits(sumsOne, sumsAlone, 'gradient sums, one example at a time');
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("scores a network's outputs with its neurons' loops (as WebAssembly where it runs)", () => {
    const inputs = [0, 1, 2].map((i) => variable(0, `x${i}`));
    const target = variable(0, 'y');
    const weights = Array.from({ length: 2 }, (_, j) =>
      [0, 1, 2, 3].map((i) => variable(0.1 * (i + 1) * (j - 0.5))),
    );
    const hidden = weights.map((w) => tanh(dot(...inputs.flatMap((x, i) => [w[i]!, x]), w[3]!, 1)));
    const output = tanh(dot(hidden[0]!, 1.5, hidden[1]!, -0.5));
    const loss = pow(sub(output, target), 2);
    const leaves = { inputs: [...inputs, target], parameters: weights.flat() };
    const batched = compileGradients(loss, { ...leaves, outputs: hidden.concat(output) }).batched(
      8,
    );
    const scored = compile([loss, ...hidden, output], { ...leaves, simplify: false });
    const examples = [0, 1, 2, 3, 4].map((e) => [e / 4, 1 - e, e * e, e % 2]);
    const expected = examples.flatMap((example) => [...scored(example)]);
    expectSameBits(batched.forward(examples.flat(), examples.length), expected, 'scores');
    expect(batched.forward.outputCount).toBe(4);
  });

  it('refuses outputs that are not Values, saying so', () => {
    const [x, w] = [variable(1, 'x'), variable(2, 'w')];
    expect(() =>
      compileGradients(pow(sub(x, w), 2), { inputs: [x], outputs: [1 as never] }),
    ).toThrow(/compileGradients \(outputs\)/);
  });
});
