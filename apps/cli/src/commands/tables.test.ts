// Small tables as data scientists have them: columns of categories, and a regression that
// training for longer must not spoil.
import { loadModel, seededRandom } from '@dendrite/nn';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, trainReport, workspace } from '../cli.test-helper.js';

/** Coffee: its size and milk (categories) and its shots (a number) → its price, or whether it is iced. */
function coffee(rows: number, seed: string): string {
  const random = seededRandom(seed);
  const sizes = { small: 0, medium: 0.5, large: 1 };
  const milks = { oat: 0.6, plain: 0, whole: 0.3 };
  const pick = <T extends object>(o: T) => Object.keys(o)[Math.floor(random.next() * 3)] as keyof T;
  const lines = ['size,milk,shots,price,served'];
  for (let i = 0; i < rows; i++) {
    const [size, milk, shots] = [pick(sizes), pick(milks), 1 + Math.floor(random.next() * 3)];
    const price = 2 + sizes[size] + milks[milk] + 0.8 * shots + 0.05 * (random.next() - 0.5);
    lines.push(`${size},${milk},${shots},${price.toFixed(3)},${milk === 'oat' ? 'iced' : 'hot'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Friedman's first regression: 10 inputs of which 5 matter, non-linearly, with noise. */
function friedman(rows: number): string {
  const random = seededRandom('friedman');
  const lines = ['x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,y'];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: 10 }, () => random.next());
    let noise = -6;
    for (let k = 0; k < 12; k++) noise += random.next();
    const y =
      10 * Math.sin(Math.PI * x[0]! * x[1]!) +
      20 * (x[2]! - 0.5) ** 2 +
      10 * x[3]! +
      5 * x[4]! +
      2 * noise;
    lines.push([...x, y].map((v) => v.toFixed(4)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

let cwd: string;
beforeAll(async () => {
  cwd = await workspace({
    'coffee.csv': coffee(80, 'coffee'),
    'more-coffee.csv': coffee(20, 'more'),
    'odd-coffee.csv': 'size,milk,shots,price\nsmall,oat,1,3.4\nhuge,plain,2,4.2\n',
    'friedman.csv': friedman(200),
    // Coffee with gaps: a missing size (NA), shots (empty) and price (the row is dropped).
    'gappy-coffee.csv': coffee(80, 'coffee')
      .split('\n')
      .map((line, i) =>
        i % 7 === 1
          ? line.replace(/^\w+/, 'NA')
          : i % 9 === 2
            ? line.replace(/,\d,/, ',,')
            : i === 5
              ? line.replace(/,[\d.]+,(\w+)$/, ',,$1')
              : line,
      )
      .join('\n'),
    'gappy-rows.csv': 'size,milk,shots\nNA,oat,2\nlarge,oat,\nlarge,oat,2\n',
  });
});

const trainJson = (args: string[]) => trainReport(args, cwd);

describe('columns of categories', () => {
  it('train one-hot, and the model records the categories', async () => {
    const report = await trainJson([
      'coffee.csv',
      '--target',
      'price',
      '--features',
      'size,milk,shots',
      '-o',
      'price.json',
    ]);
    expect(report.network.shape).toEqual([7, 16, 1]);
    expect(report.metrics.test.r2).toBeGreaterThan(0.95);
    const model = loadModel(await readFile(join(cwd, 'price.json'), 'utf8'));
    expect(model.names.inputs).toEqual(['size', 'milk', 'shots']);
    expect(model.preprocessing.categories).toEqual([
      ['large', 'medium', 'small'],
      ['oat', 'plain', 'whole'],
      null,
    ]);
  });

  it('are encoded the same way by predict, from arguments and from a CSV file', async () => {
    const run = await dendrite(['predict', 'price.json', 'large,oat,2', '--json'], { cwd });
    const [prediction] = JSON.parse(run.stdout).predictions;
    expect(prediction.input).toEqual(['large', 'oat', '2']);
    expect(prediction.output[0]).toBeCloseTo(2 + 1 + 0.6 + 1.6, 0);
    const csv = await dendrite(['predict', 'price.json', '--input', 'more-coffee.csv'], { cwd });
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split('\n')).toHaveLength(21);
  });

  it('name a category the model has not seen, with its line and column', async () => {
    expectFailure(
      await dendrite(['predict', 'price.json', 'huge,oat,2'], { cwd }),
      1,
      'input 1: column "size": "huge" is not one of the categories the model was trained on (large, medium, small)',
    );
    expectFailure(
      await dendrite(['predict', 'price.json', '--input', 'odd-coffee.csv'], { cwd }),
      1,
      'row 2: column "size": "huge" is not one of the categories the model was trained on (large, medium, small)',
    );
    expectFailure(
      await dendrite(['eval', 'price.json', 'odd-coffee.csv'], { cwd }),
      1,
      'odd-coffee.csv line 3, column "size": "huge" is not one of the categories the model was trained on (large, medium, small)',
    );
  });

  it('are scored by eval on new rows, shown by inspect, drawn by graph', async () => {
    const scored = await dendrite(['eval', 'price.json', 'more-coffee.csv', '--json'], { cwd });
    expect(JSON.parse(scored.stdout).metrics.r2).toBeGreaterThan(0.95);
    const inspect = await dendrite(['inspect', 'price.json'], { cwd });
    expect(inspect.stdout).toContain('inputs         3, one-hot 7 (size, milk, shots)');
    expect(inspect.stdout).toContain('categories     size: large, medium, small (one-hot)');
    const graph = await dendrite(['graph', 'price.json', '--input', 'small,whole,3'], { cwd });
    expect(graph.stdout).toMatch(/^digraph dendrite/);
  });

  it('export to ONNX as string inputs of their own, predicting as dendrite predict does', async () => {
    const run = await dendrite(['export', 'price.json', '--triton', 'triton'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const config = await readFile(join(cwd, 'triton/price/config.pbtxt'), 'utf8');
    expect(config).toContain('{ name: "input", data_type: TYPE_FP64, dims: [ -1, 1 ] }');
    expect(config).toContain('{ name: "size", data_type: TYPE_STRING, dims: [ -1 ] }');
    expect(config).toContain('{ name: "milk", data_type: TYPE_STRING, dims: [ -1 ] }');
    const session = await ort.InferenceSession.create(join(cwd, 'triton/price/1/model.onnx'));
    const rows = [
      ['large', 'oat', 2],
      ['small', 'plain', 1],
    ] as const;
    const { output } = await session.run({
      input: new ort.Tensor('float64', Float64Array.from(rows.map((r) => r[2])), [2, 1]),
      size: new ort.Tensor(
        'string',
        rows.map((r) => r[0]),
        [2],
      ),
      milk: new ort.Tensor(
        'string',
        rows.map((r) => r[1]),
        [2],
      ),
    });
    const predicted = await dendrite(
      ['predict', 'price.json', ...rows.map((r) => r.join(',')), '--json'],
      {
        cwd,
      },
    );
    const expected = JSON.parse(predicted.stdout).predictions.map(
      (p: { output: number[] }) => p.output[0],
    );
    [...(output!.data as Float64Array)].forEach((value, i) =>
      expect(Math.abs(value - expected[i])).toBeLessThan(1e-9 * Math.abs(expected[i])),
    );
  });

  it('with gaps: --missing mean fills a missing input with its training mean, in every command', async () => {
    const train = ['gappy-coffee.csv', '--target', 'price', '--features', 'size,milk,shots'];
    const report = await trainJson([...train, '--missing', 'mean', '-o', 'gappy.json']);
    expect(report.data.dropped).toBe(1); // the row without a price: a target is not filled
    expect(report.metrics.test.r2).toBeGreaterThan(0.4); // 0.54: a seventh of the sizes are gaps
    const model = loadModel(await readFile(join(cwd, 'gappy.json'), 'utf8'));
    // One mean per network input: each category's share of the training rows, and the shots'.
    const imputation = model.preprocessing.imputation!;
    expect(imputation).toHaveLength(7);
    expect(imputation[0]! + imputation[1]! + imputation[2]!).toBeCloseTo(1, 12);
    expect(model.preprocessing.categories![0]).toEqual(['large', 'medium', 'small']); // no NA
    // predict fills the gap with the recorded mean; the row keeps its text as given.
    const predict = ['predict', 'gappy.json', 'gappy-rows.csv', '--missing', 'mean'];
    const filled = await dendrite([...predict, '--json'], { cwd });
    const [, noShots] = JSON.parse(filled.stdout).predictions;
    const byHand = await dendrite(
      ['predict', 'gappy.json', `large,oat,${imputation[6]}`, '--json'],
      {
        cwd,
      },
    );
    expect(noShots.output).toEqual(JSON.parse(byHand.stdout).predictions[0].output);
    expect((await dendrite(predict, { cwd })).stdout.split('\n')[1]).toMatch(/^NA +oat +2 +\d/);
    const scored = await dendrite(['eval', 'gappy.json', '--missing', 'mean', '--json'], { cwd });
    expect(JSON.parse(scored.stdout)).toMatchObject({ split: 'all', examples: 79 });
    expect((await dendrite(['inspect', 'gappy.json'], { cwd })).stdout).toMatch(
      /missing +filled with the training means \[/,
    );
    // Without the flag a gap is an error that names both ways out; a model without means refuses.
    expectFailure(
      await dendrite(['predict', 'gappy.json', 'gappy-rows.csv'], { cwd }),
      1,
      'gappy-rows.csv line 2, column "size": a missing value ("NA"); drop such rows with --missing drop, or fill the gaps with --missing mean',
    );
    expectFailure(
      await dendrite(['predict', 'price.json', 'gappy-rows.csv', '--missing', 'mean'], { cwd }),
      2,
      '--missing mean fills a gap with the training mean a model records, and price.json records none: train it with --missing mean, or use --missing drop',
    );
  });

  it('predict a class as well', async () => {
    const report = await trainJson(['coffee.csv', '--target', 'served', '-o', 'served.json']);
    expect(report.data.classes).toEqual(['hot', 'iced']);
    expect(report.final.testAccuracy).toBe(1);
  });
});

describe('a regression trained for longer', () => {
  it('is not spoiled: early stopping keeps the best epoch, however many are allowed', async () => {
    const defaults = await trainJson(['friedman.csv', '-o', 'friedman.json']);
    expect(defaults.final.stoppedEarly).toBe(true);
    expect(defaults.metrics.test.r2).toBeGreaterThan(0.6);
    const longer = await trainJson(['friedman.csv', '--epochs', '5000', '-o', 'longer.json']);
    expect(longer.metrics).toEqual(defaults.metrics);
    expect(longer.refit).toEqual(defaults.refit);
  });
});
