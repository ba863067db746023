import { loadModel } from '@dendrite/nn';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, trainReport, workspace } from '../cli.test-helper.js';

const fixture = (name: string) =>
  readFile(new URL(`../../../../packages/fixtures/data/${name}`, import.meta.url), 'utf8');

let cwd: string;
beforeAll(async () => {
  const iris = await fixture('iris.csv');
  const [header, ...rows] = iris.trim().split('\n');
  const species = ['setosa', 'versicolor', 'virginica'];
  cwd = await workspace(
    {
      'iris.csv': iris,
      'breast-cancer.csv': await fixture('breast-cancer.csv'),
      // The same flowers as a European spreadsheet writes them, with the classes coded 0/1/2.
      'iris-coded.csv': [
        header!,
        ...rows.map((row) =>
          row.replace(/setosa|versicolor|virginica/, (s) => String(species.indexOf(s))),
        ),
      ]
        .map((line) => line.replaceAll(',', ';'))
        .join('\n'),
      // One-hot targets, without a header, tab-separated.
      'iris-onehot.tsv': rows
        .map((row) => {
          const cells = row.split(',');
          const label = cells.pop()!;
          return [...cells, ...species.map((s) => (s === label ? 1 : 0))].join('\t');
        })
        .join('\n'),
      'gaps.csv': 'a,b,label\n1,2,x\n3,NA,y\n5,6,x\n7,?,y\n9,10,x\n11,12,y\n',
      'commas.csv': 'a;b;label\n1,5;2;x\n3;4;y\n',
      'ids.csv': `id,x\n${Array.from({ length: 20 }, (_, i) => `row${i},${i}`).join('\n')}\n`,
      'gap-flowers.csv':
        'id,sepal_length,sepal_width,petal_length,petal_width\nf1,5.1,3.5,1.4,0.2\nf2,NA,2.9,5.6,1.8\n',
      'flowers.csv':
        'id,sepal_length,sepal_width,petal_length,petal_width\nf1,5.1,3.5,1.4,0.2\nf2,6.3,2.9,5.6,1.8\n',
      'strange.csv':
        'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,daisy\n',
    },
    { trained: true },
  );
});

const trainJson = (args: string[]) => trainReport(args, cwd);

describe('classes from the terminal', () => {
  it('trains iris from its species names: softmax, cross-entropy, ≥ 93% on the held-out rows', async () => {
    const report = await trainJson(['iris.csv', '--target', 'species', '-o', 'iris.json']);
    // Each class alone: a fifth of each for testing, a fifth of the rest for early stopping.
    expect(report.data).toMatchObject({
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
      train: 96,
      validation: 24,
      test: 30,
    });
    expect(report.network.activations).toEqual(['tanh', 'softmax']);
    expect(report.training).toMatchObject({
      loss: 'categoricalCrossEntropy',
      normalize: true,
      optimizer: 'adam',
      patience: 50,
    });
    expect(report.final.testAccuracy).toBeGreaterThanOrEqual(0.93);
    const tested = report.metrics.test.confusion.map((row: number[]) =>
      row.reduce((a, b) => a + b),
    );
    expect(tested).toEqual([10, 10, 10]);
    // Then trained again on all 150 rows, for as many epochs as early stopping kept.
    expect(report.refit).toEqual({ rows: 150, epochs: report.final.bestEpoch + 1 });
    const model = loadModel(await readFile(join(cwd, 'iris.json'), 'utf8'));
    expect(model.task).toEqual({
      kind: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
    });
    expect(model.details.split).toMatchObject({
      seed: '1',
      rows: 150,
      testFraction: 0.2,
      stratified: true,
      refit: true,
    });
    expect(model.details.metrics?.test).toEqual(report.metrics.test);
  });

  it('trains breast cancer from its diagnosis: ≥ 95% on the held-out rows, with an AUC', async () => {
    const report = await trainJson([
      'breast-cancer.csv',
      '--target',
      'diagnosis',
      '-o',
      'cancer.json',
    ]);
    expect(report.data.classes).toEqual(['benign', 'malignant']);
    expect(report.network.shape).toEqual([30, 16, 1]);
    expect(report.final.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.metrics.test.auc).toBeGreaterThan(0.98);
  });

  it('scores exactly the held-out rows when given the training file back', async () => {
    await trainJson(['iris.csv', '--target', 'species', '--no-refit', '-o', 'held.json']);
    const model = JSON.parse(await readFile(join(cwd, 'held.json'), 'utf8'));
    const run = await dendrite(['eval', 'held.json', 'iris.csv', '--json'], { cwd });
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ split: 'test', examples: 30, loss: 'categoricalCrossEntropy' });
    expect(report.metrics).toEqual(model.metrics.test);
    for (const part of ['train', 'validation']) {
      const scored = JSON.parse(
        (await dendrite(['eval', 'held.json', 'iris.csv', '--split', part, '--json'], { cwd }))
          .stdout,
      );
      expect(scored.metrics).toEqual(model.metrics[part]);
    }
    const all = await dendrite(['eval', 'held.json', 'iris.csv', '--split', 'all'], { cwd });
    expect(all.stdout).toContain('all rows: 150 of 150 rows');
    expect(all.stderr).toContain('these rows include the ones held.json was trained on');
    // Without data, eval finds the file the model records and scores the same held-out rows.
    expect(model.split.file).toBe(join(cwd, 'iris.csv'));
    const own = await dendrite(['eval', 'held.json', '--json'], { cwd });
    expect(JSON.parse(own.stdout)).toMatchObject({ split: 'test', metrics: model.metrics.test });
  });

  it('warns when training leaves the training loss worse than it started', async () => {
    const args = ['train', 'iris.csv', '--epochs', '20', '-o', 'steep.json'];
    const steep = await dendrite([...args, '--learning-rate', '50', '--json'], { cwd });
    expect(steep.code).toBe(0);
    expect(steep.stderr).toMatch(
      /^dendrite: warning: the training loss rose from 0\.\d+ before training to \d+\.\d+: the learning rate \(50\) may be too high; try a smaller --learning-rate$/m,
    );
    const calm = await dendrite([...args, '--json'], { cwd });
    expect(calm.stderr).not.toContain('warning');
  });

  it('says what to give when a model does not record its data file, or the file is gone', async () => {
    await dendrite(['train', '--dataset', 'xor', '--epochs', '1', '-o', 'xor.json', '-q'], { cwd });
    expectFailure(
      await dendrite(['eval', 'xor.json'], { cwd }),
      2,
      'xor.json does not say which file it was trained on (trained from stdin or a built-in data set, or by an older dendrite): give the data, e.g. dendrite eval xor.json data.csv',
    );
    await writeFile(join(cwd, 'gone.csv'), await readFile(join(cwd, 'iris.csv')));
    await dendrite(['train', 'gone.csv', '--epochs', '1', '-o', 'gone.json', '-q'], { cwd });
    await rm(join(cwd, 'gone.csv'));
    expectFailure(
      await dendrite(['eval', 'gone.json'], { cwd }),
      1,
      `gone.json was trained on ${join(cwd, 'gone.csv')}, which is not there any more`,
    );
  });

  it('says a refit model has no held-out rows left in its training file', async () => {
    const run = await dendrite(['eval', 'iris.json', 'iris.csv'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('all rows: 150 of 150 rows');
    expect(run.stderr).toContain('iris.json was trained on all these rows');
    expectFailure(
      await dendrite(['eval', 'iris.json', 'iris.csv', '--split', 'test'], { cwd }),
      1,
      /iris\.json was trained again on every row of iris\.csv after its test rows had scored it/,
    );
  });

  it('reads the same data with ; or tabs, coded classes, no header and one-hot targets', async () => {
    const coded = await trainJson(['iris-coded.csv', '--target', 'species', '-o', 'coded.json']);
    expect(coded.data.classes).toEqual(['0', '1', '2']);
    const onehot = await trainJson([
      'iris-onehot.tsv',
      '--delimiter',
      'tab',
      '--no-header',
      '--target',
      '5,6,7',
      '-o',
      'onehot.json',
    ]);
    expect(onehot.data).toMatchObject({
      task: 'classification',
      classes: ['5', '6', '7'],
      inputs: ['1', '2', '3', '4'],
    });
    expect(onehot.final.testAccuracy).toBeGreaterThanOrEqual(0.93);
    const regression = await trainJson([
      'iris-coded.csv',
      '--target',
      'species',
      '--task',
      'regression',
      '--no-refit',
      '-o',
      'r.json',
    ]);
    expect(regression.data.task).toBe('regression');
    expect(regression.metrics.test.r2).toBeGreaterThan(0.8);
    // A regression is scored in its targets' units, on the rows it held out.
    const scored = await dendrite(['eval', 'r.json', 'iris-coded.csv', '--json'], { cwd });
    expect(JSON.parse(scored.stdout)).toMatchObject({
      split: 'test',
      metrics: regression.metrics.test,
    });
  });

  it('predicts class names and probabilities, carrying an id column through', async () => {
    const run = await dendrite(
      ['predict', 'iris.json', '--input', 'flowers.csv', '--keep', 'id', '--format', 'csv'],
      { cwd },
    );
    expect(run.code).toBe(0);
    const [header, first, second] = run.stdout.trim().split('\n');
    expect(header).toBe(
      'id,sepal_length,sepal_width,petal_length,petal_width,predicted_species,p(setosa),p(versicolor),p(virginica)',
    );
    expect(first).toMatch(/^f1,5\.1,3\.5,1\.4,0\.2,setosa,0\.9/);
    expect(second).toMatch(/^f2,.*,virginica,/);
    const probabilities = first!.split(',').slice(6).map(Number);
    expect(probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it('predicts around missing inputs when told to: every row kept, the gaps’ predictions empty', async () => {
    expectFailure(
      await dendrite(['predict', 'iris.json', '--input', 'gap-flowers.csv'], { cwd }),
      1,
      'gap-flowers.csv line 3, column "sepal_length": a missing value ("NA")',
    );
    const run = await dendrite(
      [
        'predict',
        'iris.json',
        '--input',
        'gap-flowers.csv',
        '--missing',
        'drop',
        '--keep',
        'id',
        '-f',
        'csv',
      ],
      { cwd },
    );
    expect(run.stderr).toBe('dendrite: 1 row misses a value: its prediction is left empty\n');
    // The output lines up with the input, row for row; the row with a gap has no prediction.
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(',')[0])).toEqual(['id', 'f1', 'f2']);
    expect(lines[2]).toBe('f2,NA,2.9,5.6,1.8,,,,');
    expect(lines[1]).toMatch(/^f1,5\.1,3\.5,1\.4,0\.2,setosa,0\.9/);
  });

  it('refuses missing values by row and column, or drops those rows and says how many', async () => {
    expectFailure(
      await dendrite(['train', 'gaps.csv'], { cwd }),
      1,
      'gaps.csv line 3, column "b": a missing value ("NA"); drop such rows with --missing drop',
    );
    const report = await trainJson([
      'gaps.csv',
      '--missing',
      'drop',
      '--test-split',
      '0',
      '--epochs',
      '2',
      '-o',
      'gaps.json',
    ]);
    expect(report.data).toMatchObject({ dropped: 2, train: 4 });
    const text = await dendrite(
      ['train', 'gaps.csv', '--missing', 'drop', '--epochs', '1', '-q', '-o', 'gaps.json'],
      { cwd },
    );
    expect(text.stdout).toContain('(dropped 2 with missing values)');
  });

  it('warns when the target looks like an identifier: a class for nearly every row', async () => {
    const run = await dendrite(
      ['train', 'ids.csv', '--target', 'id', '--epochs', '1', '-q', '-o', 'ids.json'],
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '20 classes: row0, row1, row10, row11, row12, row13, row14, row15, row16, row17, …, row9',
    );
    expect(run.stderr).toContain('warning: id has 20 classes in 20 rows');
  });

  it("draws a classifier's own loss, the cross-entropy of a class, with its gradients", async () => {
    const args = ['graph', 'iris.json', '--of', 'loss', '--input', '5.1,3.5,1.4,0.2'];
    const run = await dendrite([...args, '--target', 'setosa'], { cwd });
    expect(run.code).toBe(0);
    const loss = Number(/\{ L \| value ([\d.e-]+) \| grad 1 \}/.exec(run.stdout)![1]);
    const wrong = await dendrite([...args, '--target', 'virginica'], { cwd });
    // A setosa scores low against setosa, high against virginica.
    expect(loss).toBeLessThan(0.1);
    expect(Number(/\{ L \| value ([\d.e-]+) \|/.exec(wrong.stdout)![1])).toBeGreaterThan(1);
  });

  it('shows the task, the classes, the loss and the recorded metrics', async () => {
    const run = await dendrite(['inspect', 'iris.json'], { cwd });
    expect(run.stdout).toContain(
      'predicts       species (3 classes: setosa, versicolor, virginica)',
    );
    expect(run.stdout).toContain('loss           categoricalCrossEntropy');
    expect(run.stdout).toMatch(/test metrics {3}categoricalCrossEntropy 0\.\d+ {2}accuracy/);
  });

  it.each([
    [
      ['eval', 'iris.json', 'strange.csv'],
      1,
      'strange.csv line 2, column "species": "daisy" is not one of the classes setosa, versicolor, virginica',
    ],
    [
      ['eval', 'iris.json', 'iris-coded.csv', '--split', 'test'],
      1,
      /--split test needs the data iris.json was trained on \(150 rows\), but iris-coded.csv holds other rows/,
    ],
    [
      ['eval', 'model.json', 'people.csv', '--split', 'validation'],
      1,
      'model.json held out no validation rows',
    ],
    [
      ['eval', 'iris.json', 'iris.csv', '--loss', 'mse'],
      1,
      'a softmax output trains with categoricalCrossEntropy, not mse',
    ],
    [
      ['predict', 'iris.json', '1,2,3,4', '--keep', 'id'],
      2,
      '--keep copies columns of a CSV input; give one with --input',
    ],
    [
      [
        'train',
        'iris.csv',
        '--target',
        'species',
        '--loss',
        'mse',
        '--output-activation',
        'softmax',
      ],
      2,
      '--loss categoricalCrossEntropy goes with a softmax output',
    ],
    [
      [
        'train',
        'iris.csv',
        '--target',
        'petal_width',
        '--features',
        'sepal_length',
        '--output-activation',
        'softmax',
      ],
      2,
      '--output-activation softmax is for classes; this target is regression',
    ],
    [
      ['train', 'iris.csv', '--target', 'species', '--task', 'regression'],
      1,
      'iris.csv line 2, column "species": "setosa" is not a number',
    ],
    [
      ['train', 'iris.csv', '--target', 'species', '--loss', 'binaryCrossEntropy'],
      2,
      '--loss binaryCrossEntropy needs two classes and a sigmoid output',
    ],
    [
      ['train', 'iris-coded.csv', '--delimiter', ',', '--target', 'species'],
      1,
      'iris-coded.csv has no column "species"',
    ],
    [['train', '--dataset', 'xor', '--delimiter', ';'], 2, '--delimiter is for a CSV file'],
    [['train', 'iris.csv', '--target', 'species,petal_width'], 1, 'not a number'],
    [['train', 'iris.csv', '--target', 'species,species'], 2, '--target names "species" twice'],
    [
      ['train', 'iris.csv', '--patience', '3', '--validation-split', '0'],
      2,
      '--patience watches held-out rows: give a --validation-split above 0',
    ],
    [
      ['train', 'iris.csv', '--delimiter', ';;'],
      2,
      "'--delimiter <char>' argument ';;' is invalid. it must be one character",
    ],
    [
      ['graph', 'iris.json', '--of', 'loss', '--target', 'daisy'],
      2,
      '--target "daisy" is not one of iris.json\'s classes: setosa, versicolor, virginica',
    ],
    [
      ['train', 'commas.csv'],
      1,
      'commas.csv line 2, column "a": "1,5" is not a number (dendrite reads decimal points, not commas)',
    ],
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });
});

describe('early stopping and schedules from the terminal', () => {
  it('stops once the validation loss stops improving, and keeps the best epoch', async () => {
    const report = await trainJson([
      'breast-cancer.csv',
      '--target',
      'diagnosis',
      '--patience',
      '5',
      '--epochs',
      '400',
      '--optimizer',
      'adam',
      '--learning-rate',
      '0.05',
      '-o',
      'early.json',
    ]);
    expect(report.data).toMatchObject({ train: 365, validation: 91, test: 113 });
    expect(report.final.stoppedEarly).toBe(true);
    expect(report.history.validationLoss.length).toBe(report.final.bestEpoch + 6);
    expect(report.training).toMatchObject({ patience: 5 });
  });

  it('decays the rate on a schedule', async () => {
    const report = await trainJson([
      'iris.csv',
      '--lr-schedule',
      'cosine',
      '--epochs',
      '10',
      '-o',
      'cos.json',
    ]);
    expect(report.training.schedule).toEqual({ kind: 'cosine' });
  });
});
