import { describe, expect, it } from 'vitest';
import { contenders } from './contenders.js';
import { lectureWorkload, playgroundWorkload } from './workloads.js';

// A tiny run of every workload, so the benchmark keeps working; the full run is `pnpm bench`.
describe.each([lectureWorkload(20), playgroundWorkload(3, 60)])('$name (tiny)', (workload) => {
  const outcomes = Object.entries(contenders).map(([name, contender]) => ({
    name,
    ...contender(workload).run(),
  }));

  it('every contender trains and agrees with the hand-written loop to round-off', () => {
    const [reference, ...others] = outcomes;
    for (const outcome of others) {
      expect(Math.abs(outcome.finalLoss - reference!.finalLoss), outcome.name).toBeLessThan(1e-12);
      outcome.outputs.forEach((y, i) =>
        expect(Math.abs(y - reference!.outputs[i]!), outcome.name).toBeLessThan(1e-12),
      );
    }
  });
});
