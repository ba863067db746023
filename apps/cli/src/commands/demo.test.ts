import { describe, expect, it } from 'vitest';
import { dendrite } from '../cli.test-helper.js';

describe('dendrite demo', () => {
  it('trains the lecture network, prints the loss every 10 epochs, predicts Emily and Frank', async () => {
    const { code, stdout, stderr } = await dendrite(['demo']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const losses = [...stdout.matchAll(/^Epoch (\d+) loss: (\d\.\d{3})$/gm)];
    expect(losses.map((m) => Number(m[1]))).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(Number(losses.at(-1)![2])).toBeLessThan(Number(losses[0]![2]));
    expect(stdout).toMatch(/^Emily \(128 lb, 63 in\): 0\.9\d\d {2}→ F$/m);
    expect(stdout).toMatch(/^Frank \(155 lb, 68 in\): 0\.0\d\d {2}→ M$/m);
    expect(stdout).toContain('dL/dw1 = -(2 * (y - o1)) * o1 * (1 - o1) * w5 * h1 * (1 - h1) * x1');
    expect(stdout).toMatch(/automatic \(engine\) +0\.02146953526581111 /);
  });

  it('gives the engine’s dL/dw1 beside the hand-derived one, and repeats exactly for a seed', async () => {
    const first = await dendrite(['demo', '--json', '--seed', '7']);
    const second = await dendrite(['demo', '--json', '--seed', '7']);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout);
    expect(report.dLdw1.workedStep).toEqual({
      engine: 0.02146953526581111,
      handDerived: 0.02146953526581111,
    });
    const { engine, handDerived } = report.dLdw1.trained;
    expect(Math.abs(engine - handDerived)).toBeLessThanOrEqual(1e-12 * Math.abs(handDerived));
    expect(report.predictions.Emily).toBeGreaterThan(0.9);
    expect(report.predictions.Frank).toBeLessThan(0.1);
    expect(report.loss).toHaveLength(100);
  });
});
