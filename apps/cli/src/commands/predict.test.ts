import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace(
    {
      'queries.csv': 'height,weight,name\n-3,-7,Emily\n2,20,Frank\n',
      'broken.json': '{"format": "dendrite-model", "version": 1, "shape": [2]}',
      // Written by JavaScript, whose JSON.stringify would have written null: a bare NaN.
      'nan.json':
        '{\n  "format": "dendrite-model",\n  "version": 1,\n  "shape": [1, 1],\n  "layers": [{ "activation": "linear", "weights": [[NaN]], "biases": [0] }]\n}\n',
      // A linear model whose output overflows for large inputs.
      'huge.json': JSON.stringify({
        format: 'dendrite-model',
        version: 1,
        shape: [1, 1],
        layers: [{ activation: 'linear', weights: [[1e308]], biases: [0] }],
      }),
      'big-inputs.csv': 'x1\n0.5\n10\n',
      // The shape of a model of 3 million parameters, 2-3000-1000-1: refused before anything is built.
      'large.json':
        '{"format": "dendrite-model", "version": 1, "shape": [2, 3000, 1000, 1], "layers": []}',
    },
    { trained: true },
  );
});

describe('dendrite predict', () => {
  it('reads an argument that names a file as the CSV input, as --input does', async () => {
    const given = await dendrite(['predict', 'model.json', 'queries.csv'], { cwd });
    expect(given.code).toBe(0);
    const flagged = await dendrite(['predict', 'model.json', '--input', 'queries.csv'], { cwd });
    expect(given.stdout).toBe(flagged.stdout);
    expect(given.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('predicts inputs given as arguments, negative numbers included', async () => {
    const run = await dendrite(['predict', 'model.json', '-7,-3', '20,2'], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    // A classifier: the predicted class, then each class's probability.
    expect(lines[0]).toMatch(/^weight +height +predicted_female +p\(0\) +p\(1\)$/);
    expect(lines[1]!.trim().split(/\s+/).slice(2, 3)).toEqual(['1']);
    expect(Number(lines[1]!.trim().split(/\s+/)[4])).toBeGreaterThan(0.9);
    expect(lines[2]!.trim().split(/\s+/).slice(2, 3)).toEqual(['0']);
    expect(Number(lines[2]!.trim().split(/\s+/)[4])).toBeLessThan(0.1);
  });

  it('picks the model’s own columns from a CSV file, in any order, as CSV or JSON', async () => {
    const csv = await dendrite(['predict', 'model.json', '--input', 'queries.csv', '-f', 'csv'], {
      cwd,
    });
    expect(csv.code).toBe(0);
    const [header, emily] = csv.stdout.trim().split('\n');
    expect(header).toBe('weight,height,predicted_female,p(0),p(1)');
    expect(emily).toMatch(/^-7,-3,1,0\.0\d+(e-\d+)?,0\.9\d+$/);
    const json = await dendrite(['predict', 'model.json', '--input', 'queries.csv', '--json'], {
      cwd,
    });
    const report = JSON.parse(json.stdout);
    expect(report.inputs).toEqual(['weight', 'height']);
    expect(report.predictions[1].input).toEqual([20, 2]);
    expect(report.predictions[1].output[0]).toBeLessThan(0.1);
    expect(report.classes).toEqual(['0', '1']);
    expect(report.predictions[1]).toMatchObject({ class: '0' });
    expect(report.predictions[1].probabilities['1']).toBe(report.predictions[1].output[0]);
  });

  it('reads CSV from stdin', async () => {
    const run = await dendrite(['predict', 'model.json', '--json'], {
      cwd,
      input: 'weight,height\n-7,-3\n',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).predictions[0].output[0]).toBeGreaterThan(0.9);
  });

  it.each([
    [
      ['predict', 'model.json', '1,2,3'],
      1,
      'input 1 has 3 numbers; model.json takes 2 (weight, height)',
    ],
    [['predict', 'model.json', '1,abc'], 1, 'input 1 "1,abc" is not comma-separated numbers'],
    [['predict', 'model.json', '--frobnicate'], 2, 'unknown option --frobnicate'],
    [
      ['predict', 'nan.json', '1'],
      1,
      /^dendrite: nan.json: the model file is not JSON at line 5, column 53: NaN is not a JSON number \(a model's numbers must be finite\)\n$/,
    ],
    [['predict', 'huge.json', '0.5', '10'], 1, /the prediction for input 2 \(10\) is Infinity/],
    [
      ['predict', 'huge.json', '--input', 'big-inputs.csv'],
      1,
      /the prediction for row 2 \(10\) is Infinity: huge.json overflows there/,
    ],
    [
      ['predict', 'large.json', '1,2'],
      1,
      /large.json's network \(2-3000-1000-1\) would need about 1.4 GB of memory, more than the limit of 1 GB; if the machine has it, raise the limit with --max-memory \d+/,
    ],
    [
      ['predict', 'model.json', '--input', 'people.csv', '--features', 'weight'],
      1,
      'model.json takes 2 inputs, but 1 columns were chosen (weight)',
    ],
    [
      ['predict', 'model.json', '--input', 'people.csv', '--features', 'weight,age'],
      1,
      'people.csv has no column "age"',
    ],
    [['predict', 'model.json'], 2, 'no inputs: give them as arguments'],
    [['predict', 'missing.json', '1,2'], 1, 'cannot read missing.json: no such file or directory'],
    [['predict', 'people.csv', '1,2'], 1, 'people.csv: the model file is not JSON'],
    [['predict', 'broken.json', '1,2'], 1, 'broken.json: invalid model file: shape: '],
    [['predict', 'model.json', '1,2', '--format', 'xml'], 2, "argument 'xml' is invalid"],
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });
});
