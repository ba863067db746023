import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure } from '../cli.test-helper.js';
import {
  childrenOf,
  modelOf,
  rowCount,
  rowsOf,
  smallSpec,
  start,
  sweepFolder,
  until,
} from './sweep.test-helper.js';

// Trials long enough (about half a second) to be killed in the middle of one.
const slow = smallSpec(1000);
let folder: string;
let reference: ReturnType<typeof rowsOf>;

beforeAll(async () => {
  folder = await sweepFolder(slow);
  const run = await dendrite(['sweep', 'iris.yaml', '--workers', '2', '--out', 'reference'], {
    cwd: folder,
  });
  expect(run.stderr).toContain('trials 12/12 done, 0 running, 0 failed');
  expect(run.code).toBe(0);
  reference = rowsOf(join(folder, 'reference'));
});

describe('dendrite sweep on this machine', () => {
  it('records every trial once, in order, the same with one worker as with two', async () => {
    expect(reference).toHaveLength(12);
    expect(new Set(reference.map((row) => row.key)).size).toBe(12);
    expect(reference.map((row) => [row.params, row.fold])).toEqual(
      [0.01, 0.03].flatMap((rate) =>
        ['4', '8'].flatMap((layers) =>
          [1, 2, 3].map((fold) => [{ 'learning-rate': rate, layers }, fold]),
        ),
      ),
    );
    for (const row of reference) {
      expect(row.status).toBe('ok');
      expect(row.metrics.accuracy).toBeGreaterThan(0.5);
    }
    const one = await dendrite(['sweep', 'iris.yaml', '--workers', '1', '--out', 'one'], {
      cwd: folder,
    });
    expect(one.code).toBe(0);
    expect(rowsOf(join(folder, 'one'))).toEqual(reference);
    expect(modelOf(join(folder, 'one'))).toBe(modelOf(join(folder, 'reference')));
  });

  it('prints each trial as the dendrite train line that gives its metrics again', async () => {
    const row = reference[4]!;
    const args = row.command.split(' ').slice(1); // (no quoting needed in these)
    const rerun = await dendrite([...args, '--json', '-o', 'rerun.json'], { cwd: folder });
    const report = JSON.parse(rerun.stdout);
    expect(report.metrics.test.loss).toBe(row.metrics.loss);
    expect(report.metrics.test.accuracy).toBe(row.metrics.accuracy);
  });

  it('runs the trial of a killed child process again: the same rows', async () => {
    const sweep = start(['sweep', 'iris.yaml', '--workers', '2', '--out', 'killed-child'], folder);
    await until(() => rowCount(join(folder, 'killed-child')) >= 1);
    const [victim] = childrenOf(sweep.child.pid!);
    process.kill(victim!, 'SIGKILL');
    const { code } = await sweep.done;
    expect(code).toBe(0);
    expect(rowsOf(join(folder, 'killed-child'))).toEqual(reference);
  });

  it('resumes a killed coordinator, dropping a torn last line: only what is missing runs', async () => {
    const out = join(folder, 'killed');
    const sweep = start(['sweep', 'iris.yaml', '--workers', '2', '--out', 'killed'], folder);
    await until(() => rowCount(out) >= 3);
    const children = childrenOf(sweep.child.pid!);
    sweep.child.kill('SIGKILL');
    await sweep.done;
    // Its children stop once their parent has gone.
    await until(() => children.every((pid) => !existsSync(`/proc/${pid}`)));
    const recorded = rowCount(out);
    appendFileSync(join(out, 'trials.jsonl'), '{"key":"torn');
    const again = await dendrite(['sweep', 'iris.yaml', '--out', 'killed'], { cwd: folder });
    expectFailure(again, 1, /already holds a sweep's trials: add --resume/);
    const resumed = await dendrite(['sweep', 'iris.yaml', '--out', 'killed', '--resume'], {
      cwd: folder,
    });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('trials 12/12 done');
    expect(resumed.stderr).not.toContain(`trials ${recorded}/12`); // (it started from there)
    expect(rowsOf(out)).toEqual(reference);
  });
});

describe('a sweep with a setting that always fails', () => {
  it('records its trials as failed, once each, and ranks the rest', async () => {
    const cwd = await sweepFolder(
      smallSpec(5).replace(
        'layers: { values: ["4", "8"] }',
        'loss: { values: [categoricalCrossEntropy, binaryCrossEntropy] }',
      ),
    );
    const run = await dendrite(['sweep', 'iris.yaml', '--workers', '2'], { cwd });
    expect(run.code).toBe(0);
    const rows = rowsOf(join(cwd, 'iris.sweep'));
    const failed = rows.filter((row) => row.status === 'failed');
    expect(failed).toHaveLength(6);
    for (const row of failed) {
      expect(row.params.loss).toBe('binaryCrossEntropy');
      expect(row.error).toMatch(/binaryCrossEntropy needs two classes/);
      expect(row.metrics).toEqual({});
    }
    const attempts = readFileSync(join(cwd, 'iris.sweep', 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).attempts);
    expect(attempts).toEqual(Array(12).fill(1)); // (a failed run is not run again)
    const summary = JSON.parse(readFileSync(join(cwd, 'iris.sweep', 'summary.json'), 'utf8'));
    expect(summary.best.params.loss).toBe('categoricalCrossEntropy');
    expect(summary.settings.filter((s: { failed: number }) => s.failed === 3)).toHaveLength(2);
    const show = await dendrite(['sweep', 'show', 'iris.sweep', '--top', '4'], { cwd });
    expect(show.stdout).toMatch(/12 trials \(6 failed\), 4 settings, ranked by mean accuracy/);
    expect(show.stdout).toContain('3 (3 failed)');
    const shown = JSON.parse(
      (await dendrite(['sweep', 'show', 'iris.sweep', '--json'], { cwd })).stdout,
    );
    expect(shown).toEqual(summary);
  });
});

describe('a sweep spec', () => {
  it.each([
    ['fixed: { epochs: 5, colour: red }', /fixed\.colour: dendrite train has no --colour/],
    ['fixed: { seed: 3 }', /fixed\.seed: a sweep sets --seed itself \(list them in seeds\)/],
    [
      'parameters: { learning-rate: { min: 0.001, max: 0.1 } }',
      /a range \(min, max\) needs method: random/,
    ],
    [
      'parameters: { test-split: { values: [0.1, 0.2] } }',
      /parameters\.test-split: it changes which rows/,
    ],
    ['method: random', /method: random needs trials/],
    ['metric: { name: speed }', /metric\.name: Invalid option/],
    ['cv: { folds: 1 }', /cv\.folds: Too small/],
    ['seeds: [1, 1]', /lists the same trial twice \(settings 1 and 1, seed 1\)/],
    [
      'fixed: { layers: "4" }\nparameters: { layers: { values: ["8"] } }',
      /layers is both fixed and a parameter/,
    ],
  ])('refuses %s', async (line, message) => {
    const cwd = await sweepFolder(`data: iris.csv\ntarget: species\n${line}\n`);
    expectFailure(await dendrite(['sweep', 'iris.yaml'], { cwd }), 1, message);
  });

  it("says which metrics there are when the spec's is not one, and ranks again on --resume", async () => {
    const spec = (metric: string) =>
      `data: iris.csv\ntarget: species\nmetric: { name: ${metric} }\nfixed: { epochs: 2 }\ncv: { folds: 2 }\n`;
    const cwd = await sweepFolder(spec('r2'));
    const run = await dendrite(['sweep', 'iris.yaml'], { cwd });
    expectFailure(
      run,
      1,
      /the trials measured no r2 \(they measured loss, accuracy, macroF1, trainLoss, epochs\)/,
    );
    await writeFile(join(cwd, 'iris.yaml'), spec('macroF1'));
    const ranked = await dendrite(['sweep', 'iris.yaml', '--resume'], { cwd });
    expect(ranked.code).toBe(0);
    expect(ranked.stdout).toContain('2 trials (0 failed), 1 setting, ranked by mean macroF1');
  });

  it('draws a random search reproducibly from its seed', async () => {
    const spec = `data: iris.csv
target: species
method: random
trials: 3
seed: 5
fixed: { epochs: 3 }
parameters:
  learning-rate: { min: 0.001, max: 0.1, log: true }
  layers: { values: ["4", "8"] }
cv: { folds: 2 }
`;
    const cwd = await sweepFolder(spec);
    for (const out of ['a', 'b']) {
      expect((await dendrite(['sweep', 'iris.yaml', '--out', out], { cwd })).code).toBe(0);
    }
    const rows = rowsOf(join(cwd, 'a'));
    expect(rows).toHaveLength(6);
    expect(rowsOf(join(cwd, 'b'))).toEqual(rows);
    const rates = rows.map((row) => row.params['learning-rate'] as number);
    for (const rate of rates) expect(rate >= 0.001 && rate <= 0.1).toBe(true);
    expect(new Set(rows.map((row) => JSON.stringify(row.params))).size).toBe(3);
  });
});
