import { describe, expect, it } from 'vitest';
import { compileGradients, dot, sigmoid, variable } from '../index.js';
import { layout } from './layout.js';
import { buildTape } from './build.js';
import { printTape } from './print.js';

describe('a tape', () => {
  it("is a neuron's numbers in slots, and its steps over them", () => {
    // The lecture's neuron: σ(w1·x1 + w2·x2 + b), its weighted sum one `dot` node.
    const [x1, x2] = [variable(0, 'x1'), variable(0, 'x2')];
    const [w1, w2, b] = [variable(0.5, 'w1'), variable(-1, 'w2'), variable(0.25, 'b')];
    const neuron = sigmoid(dot(w1, x1, w2, x2, b, 1));
    const leaves = { inputs: [x1, x2], parameters: [w1, w2, b] };
    const tape = buildTape(layout([neuron], leaves, 'test'), [neuron]);
    expect(printTape(tape)).toBe(
      [
        'inputs      s0 s1',
        'parameters  s2 s3 s4',
        // s5 is the tape's own 1, for a term that is not a product; s6 the graph's, the bias's partner.
        'constants   s5 = 1, s6 = 1',
        'step 0      s7 = s2 * s0 + s3 * s1 + s4 * s6    (a sum; adjoints to left side; but the last pair in loops: left from s2 by 1, right from s0 by 1)',
        'step 1      s8 = sigmoid(s7)',
        'roots       s8',
      ].join('\n'),
    );
    // Run forward and swept backwards, it gives the neuron's value and its weights' gradients.
    const step = compileGradients(neuron, { ...leaves, mode: 'tape' });
    const gradients = new Float64Array(3);
    const y = step([2, 3], gradients);
    expect(y).toBe(1 / (1 + Math.exp(-(0.5 * 2 + -1 * 3 + 0.25 * 1))));
    expect([...gradients]).toEqual([2, 3, 1].map((x) => y * (1 - y) * x));
  });
});
