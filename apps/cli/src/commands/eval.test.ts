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
    expect(run.stdout).toContain('model.json on more.csv, all rows: 3 of 3 rows, target female');
    expect(run.stdout).toMatch(
      /^ {2}mse 0\.\d+ {2}accuracy 66\.7% {2}macro-F1 0\.667 {2}AUC 0\.500$/m,
    );
    expect(run.stdout).toMatch(/actual \\ predicted +0 +1\n +0 +1 +0\n +1 +1 +1/);
    expect(run.stderr).toBe('');
  });

  it('gives the same as --json, with the loss it is asked for', async () => {
    const run = await dendrite(
      ['eval', 'model.json', 'people.csv', '--json', '--loss', 'halfSquaredError'],
      { cwd },
    );
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      examples: 4,
      split: 'all',
      targets: ['female'],
      loss: 'halfSquaredError',
    });
    expect(report.task).toEqual({ kind: 'classification', classes: ['0', '1'] });
    expect(report.metrics).toMatchObject({ accuracy: 1, macroF1: 1, auc: 1 });
    expect(report.metrics.loss).toBeLessThan(0.01);
    expect(report.metrics.confusion).toEqual([
      [2, 0],
      [0, 2],
    ]);
    // The model was trained on these very rows, and holds none out: eval says so.
    expect(run.stderr).toContain('these rows include the ones model.json was trained on');
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
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });

  it('scores the file the model was trained on when given no data', async () => {
    const own = await dendrite(['eval', 'model.json', '--json'], { cwd });
    const given = await dendrite(['eval', 'model.json', 'people.csv', '--json'], { cwd });
    expect(own.code).toBe(0);
    const { data, ...report } = JSON.parse(own.stdout);
    expect(data).toMatch(/people\.csv$/);
    expect(report).toEqual({ ...JSON.parse(given.stdout), data: undefined, model: 'model.json' });
  });
});
