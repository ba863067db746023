import { describe, expect, it } from 'vitest';
import { contenders, type Outcome } from './contenders.js';
import { digitsContenders, digitsWorkload } from './digits.js';
import { chain, tree } from './graph.js';
import { peers } from './peers.js';
import { lectureWorkload, playgroundWorkload } from './workloads.js';

// A tiny run of every workload and contender, so the benchmark keeps working; the full run is
// `pnpm bench`. Contenders with the same maths must agree with the hand-written loop.
describe.each([lectureWorkload(20), playgroundWorkload(3, 60)])('$name (tiny)', (workload) => {
  const run = async (contender: (typeof contenders)[string]) => contender(workload).run();
  const agree = (outcome: Outcome, reference: Outcome, tolerance: number) => {
    expect(Math.abs(outcome.finalLoss - reference.finalLoss)).toBeLessThan(tolerance);
    outcome.outputs.forEach((y, i) =>
      expect(Math.abs(y - reference.outputs[i]!)).toBeLessThan(tolerance),
    );
  };

  it('dendrite (compiled and eager) and the micrograd-style port agree with the hand-written loop', async () => {
    const reference = await run(contenders['hand-written loop']!);
    agree(await run(contenders['dendrite compiled']!), reference, 1e-12);
    agree(await run(contenders['dendrite eager']!), reference, 1e-12);
    agree(await run(contenders['micrograd-style port']!), reference, 1e-12);
  });

  it('every peer trains; one with the same maths in float64 agrees to round-off', async () => {
    const reference = await run(contenders['hand-written loop']!);
    for (const [name, { contender, notes }] of Object.entries(peers)) {
      const outcome = await run(contender);
      expect(Number.isFinite(outcome.finalLoss), name).toBe(true);
      if (notes === 'same maths') agree(outcome, reference, 1e-12);
    }
  });
});

describe('W3 graph (tiny)', () => {
  it('dendrite and the micrograd-style port build and backpropagate the same tree and chain', () => {
    expect(tree.dendrite(64)).toBeCloseTo(tree.micrograd(64), 12);
    expect(chain.dendrite(2_000)).toBe(1);
    expect(chain.micrograd(2_000)).toBe(1);
  });
});

describe('W4 digits (tiny)', () => {
  const workload = digitsWorkload(2, 200);
  const run = async (name: string) => digitsContenders[name]!.contender(workload).run();

  it('dendrite agrees with the hand-written softmax loop to round-off, and tfjs to float32', async () => {
    const reference = await run('hand-written loop');
    expect(reference.outputs.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    const close = (outcome: Outcome, digits: number) => {
      expect(outcome.finalLoss).toBeCloseTo(reference.finalLoss, digits);
      outcome.outputs.forEach((p, i) => expect(p).toBeCloseTo(reference.outputs[i]!, digits));
      expect(outcome.accuracy).toBe(reference.accuracy);
    };
    close(await run('dendrite compiled'), 10);
    close(await run('tfjs (cpu)'), 4);
  });

  it('every peer trains', async () => {
    for (const name of ['brain.js', 'convnetjs']) {
      const outcome = await run(name);
      expect(Number.isFinite(outcome.finalLoss), name).toBe(true);
      expect(outcome.accuracy, name).toBeGreaterThan(0);
    }
  });
});
