import { constant, formula, grad, variable, type Variable } from '@dendrite/autograd';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lectureData,
  lectureNetwork,
  lectureQueries,
  losses,
  Neuron,
  train,
  type Network,
} from './index.js';

// The lecture's numbers and hand-derived formulas (shared/reference/lecture-numbers.md).

const names = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2', 'b3'] as const;
type Parameters = Record<(typeof names)[number], number>;

/** The lecture network's parameters by name, as Variables. */
function parametersOf(network: Network) {
  return Object.fromEntries(network.parameters().map((p) => [p.label!, p])) as Record<
    (typeof names)[number],
    Variable
  >;
}

function setParameters(network: Network, values: Parameters): void {
  const p = parametersOf(network);
  for (const name of names) p[name].value = values[name];
}

/** The lecture's hand-derived gradients of the squared error of one sample. */
function handDerived(p: Parameters, [x1, x2]: readonly number[], y: number): Parameters {
  const sigma = (t: number) => 1 / (1 + Math.exp(-t));
  const slope = (t: number) => sigma(t) * (1 - sigma(t));
  const sumH1 = p.w1 * x1! + p.w2 * x2! + p.b1;
  const sumH2 = p.w3 * x1! + p.w4 * x2! + p.b2;
  const h1 = sigma(sumH1);
  const h2 = sigma(sumH2);
  const sumO1 = p.w5 * h1 + p.w6 * h2 + p.b3;
  const dLdYPred = -2 * (y - sigma(sumO1));
  return {
    w5: dLdYPred * h1 * slope(sumO1),
    w6: dLdYPred * h2 * slope(sumO1),
    b3: dLdYPred * slope(sumO1),
    w1: dLdYPred * p.w5 * slope(sumO1) * x1! * slope(sumH1),
    w2: dLdYPred * p.w5 * slope(sumO1) * x2! * slope(sumH1),
    b1: dLdYPred * p.w5 * slope(sumO1) * slope(sumH1),
    w3: dLdYPred * p.w6 * slope(sumO1) * x1! * slope(sumH2),
    w4: dLdYPred * p.w6 * slope(sumO1) * x2! * slope(sumH2),
    b2: dLdYPred * p.w6 * slope(sumO1) * slope(sumH2),
  };
}

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
const ones: Parameters = { w1: 1, w2: 1, w3: 1, w4: 1, w5: 1, w6: 1, b1: 0, b2: 0, b3: 0 };

describe("the lecture's worked values", () => {
  it('a sigmoid neuron with w = [0, 1], b = 4 gives 0.9990889488055994 at x = [2, 3]', () => {
    const neuron = new Neuron([variable(0), variable(1)], variable(4), 'sigmoid');
    expect(neuron.forward([2, 3]).value).toBeCloseTo(0.9990889488055994, 15);
  });

  it('the 2-2-1 network with every w = [0, 1], b = 0 gives 0.7216325609518421 at x = [2, 3]', () => {
    const network = lectureNetwork();
    setParameters(network, { ...ones, w1: 0, w3: 0, w5: 0 });
    expect(network.predict([2, 3])[0]).toBeCloseTo(0.7216325609518421, 15);
  });

  it('MSE of [1, 0, 0, 1] against [0, 0, 0, 0] is 0.5', () => {
    const squared = [1, 0, 0, 1].map((y) => losses.mse(constant(0), y).value);
    expect(squared.reduce((a, b) => a + b) / squared.length).toBe(0.5);
  });

  it('one step on Alice with weights 1, biases 0: o1 = 0.5236951740839997, dL/dw1 = 0.02146953526581111', () => {
    const network = lectureNetwork();
    setParameters(network, ones);
    const [o1] = network.forward([variable(-2, 'x1'), variable(-1, 'x2')]);
    const loss = losses.mse(o1!, variable(1, 'y'));
    expect(o1!.value).toBeCloseTo(0.5236951740839997, 15);
    const { w1 } = parametersOf(network);
    loss.backward();
    expect(w1.grad).toBeCloseTo(0.02146953526581111, 15);
    // The formulas print as the lecture writes them.
    expect(formula(loss)).toBe('(y - o1) ^ 2');
    expect(formula(grad(loss, w1))).toBe(
      '-(2 * (y - o1)) * o1 * (1 - o1) * w5 * h1 * (1 - h1) * x1',
    );
  });
});

describe('the engine against the hand-derived formulas', () => {
  const finite = fc.double({ min: -3, max: 3, noNaN: true });
  const sample = fc.record({
    p: fc.record(
      Object.fromEntries(names.map((n) => [n, finite])) as Record<
        (typeof names)[number],
        typeof finite
      >,
    ),
    x: fc.tuple(
      fc.double({ min: -20, max: 30, noNaN: true }),
      fc.double({ min: -8, max: 8, noNaN: true }),
    ),
    y: fc.constantFrom(0, 1),
  });

  it('gives all nine gradients to round-off, for random weights and samples', () => {
    fc.assert(
      fc.property(sample, ({ p, x, y }) => {
        const network = lectureNetwork();
        setParameters(network, p);
        const loss = losses.mse(network.forward(x)[0]!, y);
        loss.backward();
        const expected = handDerived(p, x, y);
        const params = parametersOf(network);
        for (const name of names)
          expect(relativeError(params[name].grad, expected[name]), name).toBeLessThan(1e-12);
      }),
      { numRuns: 500 },
    );
  });

  it('trains, step for step, as the lecture trains by hand', () => {
    const network = lectureNetwork({ seed: 'lecture' });
    const byHand = Object.fromEntries(
      network.parameters().map((p) => [p.label!, p.value]),
    ) as Parameters;
    let steps = 0;
    train(network, lectureData, {
      epochs: 100,
      learningRate: 0.1,
      onStep: ({ step }) => {
        // The engine has just updated for this example: do the lecture's update by hand, compare.
        const { input, target } = lectureData[step]!;
        const d = handDerived(byHand, input, target);
        for (const name of names) byHand[name] -= 0.1 * d[name];
        const params = parametersOf(network);
        for (const name of names)
          expect(relativeError(params[name].value, byHand[name]), name).toBeLessThan(1e-11);
        steps++;
      },
    });
    expect(steps).toBe(400);
  });
});

describe("training the lecture's network on its table (1000 epochs, lr 0.1)", () => {
  const run = (seed: number) => {
    const network = lectureNetwork({ seed });
    const { trainLoss } = train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
    return {
      network,
      trainLoss,
      emily: network.predict(lectureQueries.Emily)[0]!,
      frank: network.predict(lectureQueries.Frank)[0]!,
    };
  };

  it('classifies Emily as female (> 0.9) and Frank as male (< 0.1) for 50 seeds', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { emily, frank, trainLoss } = run(seed);
      expect(emily, `seed ${seed}`).toBeGreaterThan(0.9);
      expect(frank, `seed ${seed}`).toBeLessThan(0.1);
      expect(trainLoss[999], `seed ${seed}`).toBeLessThan(trainLoss[0]!);
    }
  });

  it('gives the same predictions every run for a pinned seed', () => {
    const first = run(7);
    const second = run(7);
    expect(second.emily).toBe(first.emily);
    expect(second.frank).toBe(first.frank);
    expect(second.trainLoss).toEqual(first.trainLoss);
  });
});
