import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, trainReport, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  const iris = await readFile(
    new URL('../../../../packages/fixtures/data/iris.csv', import.meta.url),
    'utf8',
  );
  cwd = await workspace({ 'iris.csv': iris });
});

const irisRun = ['iris.csv', '--target', 'species', '--epochs', '5', '--layers', '4'];

describe('dendrite train --split-seed and --folds', () => {
  it('score each fold once, the same rows whatever --seed, and never the test rows', async () => {
    const fold = (number: number, seed = '1') =>
      trainReport(
        [...irisRun, '--seed', seed, '--split-seed', '7', '--folds', '5', '--fold', String(number)],
        cwd,
      );
    const reports = await Promise.all([1, 2, 3, 4, 5].map((n) => fold(n)));
    // 150 rows: 30 held out for testing, 120 dealt into five folds of 24 (8 of each class).
    for (const [i, report] of reports.entries()) {
      expect(report.fold).toEqual({ count: 5, number: i + 1 });
      expect(report.data.test).toBe(24);
      expect(report.data.train + report.data.validation).toBe(96);
      const counts = report.metrics.test.classes.map((c: { support: number }) => c.support);
      expect(counts).toEqual([8, 8, 8]);
      expect(report.refit).toBeUndefined(); // (a fold's run keeps its network)
    }
    // Another weights seed scores the same fold: the same rows, in the same class counts.
    const other = await fold(3, '2');
    expect(
      other.metrics.test.confusion.map((row: number[]) => row.reduce((a, b) => a + b)),
    ).toEqual([8, 8, 8]);
    expect(other.history.trainLoss).not.toEqual(reports[2].history.trainLoss);
  });

  it('keep the test rows of a split seed out of the refit, so they test the model saved', async () => {
    const report = await trainReport(
      [...irisRun, '--split-seed', '7', '--patience', '3', '-o', 'kept.json'],
      cwd,
    );
    expect(report.refit.rows).toBe(120);
    const evaluated = await dendrite(['eval', 'kept.json', 'iris.csv', '--json'], { cwd });
    expect(evaluated.code).toBe(0);
    const scores = JSON.parse(evaluated.stdout);
    expect(scores.split).toBe('test');
    expect(scores.metrics.loss).toBe(report.metrics.test.loss);
  });

  it('refuse a fold without its count, and one past it', async () => {
    expectFailure(
      await dendrite(['train', ...irisRun, '--fold', '2'], { cwd }),
      2,
      /--folds and --fold go together/,
    );
    expectFailure(
      await dendrite(['train', ...irisRun, '--folds', '3', '--fold', '4'], { cwd }),
      2,
      /--fold 4 is not one of the 3 folds/,
    );
  });
});
