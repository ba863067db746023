import { loadModel } from '@dendrite/nn';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, lectureTraining, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace({
    'ragged.csv': 'a,b,c\n1,2,3\n\n4,5\n',
    'words.csv': 'a,b,c\n1,2,3\n4,five,6\n',
    'twice.csv': 'a,a,c\n1,2,1\n3,4,0\n',
    'unnamed.csv': 'a,,c\n1,2,1\n3,4,0\n',
  });
});

describe('dendrite train', () => {
  it('trains on CSV columns, reports loss and accuracy, and saves a model that knows them', async () => {
    const run = await dendrite(['train', 'people.csv', ...lectureTraining, '-o', 'people.json'], {
      cwd,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('people.csv: 4 rows to train on, 0 to test on');
    expect(run.stdout).toContain('weight, height → female (2 classes: 0, 1)');
    expect(run.stdout).toMatch(/train {2}mse 0\.00\d+ {2}accuracy 100\.0%/);
    expect(run.stdout).toContain('saved people.json');
    expect(run.stderr).toMatch(/^epoch 100\/1000 {2}train loss /m); // plain progress lines off a terminal
    const { network, names } = loadModel(await readFile(join(cwd, 'people.json'), 'utf8'));
    expect(names).toEqual({ inputs: ['weight', 'height'], targets: ['female'] });
    expect(network.predict([-7, -3])[0]).toBeGreaterThan(0.9);
    expect((await readdir(cwd)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('trains on a Playground data set with features, a test split and --json', async () => {
    const run = await dendrite(
      [
        'train',
        '--dataset',
        'circle',
        '--noise',
        '10',
        '--features',
        'x,y,xSquared,ySquared',
        '--layers',
        '4',
        '--epochs',
        '30',
        '--learning-rate',
        '0.1',
        '--json',
        '-o',
        'circle.json',
      ],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(''); // --json keeps progress quiet
    const report = JSON.parse(run.stdout);
    // A fifth of the rest watches for early stopping, by default.
    expect(report.data).toMatchObject({
      train: 320,
      validation: 80,
      test: 100,
      task: 'classification',
    });
    expect(report.network.shape).toEqual([4, 4, 1]);
    expect(report.history.trainLoss).toHaveLength(30);
    expect(report.history.testLoss).toHaveLength(30);
    expect(report.final.testAccuracy).toBeGreaterThan(0.9);
    const model = loadModel(await readFile(join(cwd, 'circle.json'), 'utf8'));
    expect(model.preprocessing.features).toEqual(['x', 'y', 'xSquared', 'ySquared']);
  });

  it('repeats exactly for a seed, with normalisation and Adam', async () => {
    const args = ['train', '--dataset', 'reg-plane', '--samples', '200', '--normalize'];
    args.push(
      '--optimizer',
      'adam',
      '--epochs',
      '5',
      '--json',
      '--seed',
      'abc',
      '-o',
      'plane.json',
    );
    const [first, second] = [await dendrite(args, { cwd }), await dendrite(args, { cwd })];
    const eager = await dendrite([...args, '--engine', 'eager'], { cwd });
    const history = (run: typeof first) => JSON.parse(run.stdout).history;
    expect(first.code).toBe(0);
    expect(history(second)).toEqual(history(first));
    history(eager).trainLoss.forEach((loss: number, i: number) =>
      expect(loss).toBeCloseTo(history(first).trainLoss[i], 12),
    );
    expect(JSON.parse(first.stdout).data.task).toBe('regression');
  });

  it.each([
    [['train', 'missing.csv'], 1, 'cannot read missing.csv: no such file or directory'],
    [['train', 'ragged.csv'], 1, 'ragged.csv line 4: 2 values, but the header names 3 columns'],
    [['train', 'words.csv'], 1, 'words.csv line 3, column "b": "five" is not a number'],
    [['train', 'twice.csv'], 1, 'twice.csv has two columns named "a"; columns are chosen by name'],
    [['train', 'unnamed.csv'], 1, 'unnamed.csv: column 2 of the header has no name'],
    [
      ['train', 'people.csv', '--target', 'age'],
      1,
      'people.csv has no column "age"; its columns are name, weight, height, female',
    ],
    [
      ['train', 'people.csv'],
      1,
      'people.csv: column "name" has a different value in every row (Alice, Bob, Charlie, …), so it says nothing about any other row, as a name or an identifier: leave it out of the inputs',
    ],
    [
      ['train', '--dataset', 'moons'],
      2,
      "argument 'moons' is invalid. Allowed choices are lecture, circle",
    ],
    [
      ['train', '--dataset', 'xor', '--learning-rate', '-1'],
      2,
      "'--learning-rate <rate>' argument '-1' is invalid",
    ],
    [['train', '--dataset', 'xor', '--layers', '4,x'], 2, 'it must list whole numbers ≥ 1'],
    [['train', '--dataset', 'xor', '--features', 'x,cosX'], 2, 'unknown feature "cosX"'],
    [['train', '--dataset', 'xor', '--activation', 'swish'], 2, 'unknown activation "swish"'],
    [['train', '--dataset', 'xor', '--frobnicate'], 2, "unknown option '--frobnicate'"],
    [['train'], 2, 'give a CSV file or --dataset <name>'],
    [
      ['train', '--dataset', 'xor', '--layers', '1000000000'],
      1,
      /^dendrite: training a 2-1000000000-1 network would need about [\d,.]+ GB of memory, more than the limit of 1 GB; if the machine has it, raise the limit with --max-memory \d+\n$/,
    ],
    [
      ['train', '--dataset', 'xor', '--layers', '1500,1500'],
      1,
      'training a 2-1500-1500-1 network would need about 1.7 GB',
    ],
    [
      ['train', '--dataset', 'spiral', '--samples', '1000000000', '--features', 'x,y,sinX'],
      1,
      '1,000,000,000 spiral points would need about',
    ],
    [
      ['train', '--dataset', 'xor', '--max-memory', 'lots'],
      2,
      "'--max-memory <MB>' argument 'lots' is invalid",
    ],
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });

  it('stops when the loss stops being finite, and leaves an existing model file alone', async () => {
    await writeFile(join(cwd, 'keep.json'), 'the old model');
    const args = ['train', '--dataset', 'reg-plane', '--layers', '', '--optimizer', 'sgd'];
    const run = await dendrite([...args, '--learning-rate', '100', '-o', 'keep.json'], { cwd });
    expectFailure(
      run,
      1,
      /training diverged in epoch 1 of 1000: .*try a smaller learning rate than 100/,
    );
    expect(await readFile(join(cwd, 'keep.json'), 'utf8')).toBe('the old model');
  });
});
