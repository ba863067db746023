import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace(
    {
      // Emily and Frank with their true classes, and one person the network gets wrong on purpose.
      'more.csv': 'weight,height,female\n-7,-3,1\n20,2,0\n30,8,1\n',
      'unlabelled.csv': 'weight,height\n-7,-3\n20,2\n',
    },
    { trained: true },
  );
});

describe('dendrite eval', () => {
  it('reports the loss, the accuracy and the confusion matrix', async () => {
    const run = await dendrite(['eval', 'model.json', 'more.csv'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('model.json on more.csv: 3 examples, target "female"');
    expect(run.stdout).toMatch(/accuracy {2}66\.7% \(output ≥ 0\.5 is 1\)/);
    expect(run.stdout).toMatch(/actual 0 +1 +0\nactual 1 +1 +1/);
  });

  it('gives the same as --json, with the loss it is asked for', async () => {
    const run = await dendrite(
      ['eval', 'model.json', 'people.csv', '--json', '--loss', 'halfSquaredError'],
      { cwd },
    );
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ examples: 4, target: 'female', accuracy: 1, classes: [0, 1] });
    expect(report.loss.name).toBe('halfSquaredError');
    expect(report.loss.value).toBeLessThan(0.01);
    expect(report.confusionMatrix.counts).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });

  it.each([
    [['eval', 'model.json', 'people.csv', '--target', 'age'], 1, 'people.csv has no column "age"'],
    [
      ['eval', 'model.json', 'unlabelled.csv'],
      1,
      'unlabelled.csv has no column "female", the target model.json was trained on (its columns: weight, height); name the true values\' column with --target',
    ],
    [
      ['eval', 'model.json', 'people.csv', '--target', 'height'],
      1,
      '"height" is one of model.json\'s inputs, not what it predicts',
    ],
    [['eval', 'model.json', 'missing.csv'], 1, 'cannot read missing.csv'],
    [['eval', 'model.json'], 2, "missing required argument 'data'"],
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });
});
