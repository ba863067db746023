import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace({}, { trained: true });
  const big = await dendrite(
    [
      'train',
      '--dataset',
      'xor',
      '--layers',
      '12,12',
      '--epochs',
      '1',
      '--normalize',
      '-q',
      '-o',
      'big.json',
    ],
    { cwd },
  );
  expect(big.code).toBe(0);
});

describe('dendrite inspect', () => {
  it('describes a small model and prints each neuron’s formula in the lecture’s names', async () => {
    const run = await dendrite(['inspect', 'model.json'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('model.json: a 2-2-1 network with 9 parameters');
    expect(run.stdout).toContain('inputs         2 (weight, height)');
    expect(run.stdout).toContain('layers         2 sigmoid → 1 sigmoid');
    expect(run.stdout).toContain('h1 = σ(w1 * x1 + w2 * x2 + b1)');
    expect(run.stdout).toContain('o1 = σ(w5 * h1 + w6 * h2 + b3)');
    expect(run.stdout).toMatch(/w1 = -?\d/);
  });

  it('prints the training settings as a person reads them, not as JSON', async () => {
    const run = await dendrite(['inspect', 'big.json'], { cwd });
    const line = run.stdout.split('\n').find((l) => l.startsWith('  training'))!;
    expect(line).toContain('schedule constant,');
    expect(line).toContain('layers 12,12,');
    expect(line).not.toMatch(/[{}"[\]]/);
  });

  it('prints LaTeX, and the same facts as --json', async () => {
    const latex = await dendrite(['inspect', 'model.json', '--latex'], { cwd });
    expect(latex.stdout).toContain(
      'o1 = \\sigma\\left(w_{5} \\cdot h_{1} + w_{6} \\cdot h_{2} + b_{3}\\right)',
    );
    const report = JSON.parse(
      (await dendrite(['inspect', 'model.json', '--json'], { cwd })).stdout,
    );
    expect(report).toMatchObject({ shape: [2, 2, 1], parameters: 9, inputs: ['weight', 'height'] });
    expect(Object.keys(report.values)).toEqual([
      'w1',
      'w2',
      'b1',
      'w3',
      'w4',
      'b2',
      'w5',
      'w6',
      'b3',
    ]);
  });

  it('leaves the formula of a large network out unless asked, and shows its preprocessing', async () => {
    const run = await dendrite(['inspect', 'big.json'], { cwd });
    expect(run.stdout).toContain('a 2-12-12-1 network with 205 parameters');
    expect(run.stdout).toContain('normalization  (input − mean) / scale');
    expect(run.stdout).toContain('formula left out: 205 parameters');
    expect((await dendrite(['inspect', 'big.json', '--formula'], { cwd })).stdout).toContain(
      'h24 = tanh(',
    );
  });

  it('fails clearly on a file that is not a model', async () => {
    expectFailure(
      await dendrite(['inspect', 'people.csv'], { cwd }),
      1,
      'people.csv: the model file is not JSON',
    );
  });
});
