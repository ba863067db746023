import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace(
    {
      'queries.csv': 'height,weight,name\n-3,-7,Emily\n2,20,Frank\n',
      'broken.json': '{"format": "dendrite-model", "version": 1, "shape": [2]}',
    },
    { trained: true },
  );
});

describe('dendrite predict', () => {
  it('predicts inputs given as arguments, negative numbers included', async () => {
    const run = await dendrite(['predict', 'model.json', '-7,-3', '20,2'], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^weight +height +female$/);
    expect(Number(lines[1]!.trim().split(/\s+/)[2])).toBeGreaterThan(0.9);
    expect(Number(lines[2]!.trim().split(/\s+/)[2])).toBeLessThan(0.1);
  });

  it('picks the model’s own columns from a CSV file, in any order, as CSV or JSON', async () => {
    const csv = await dendrite(['predict', 'model.json', '--input', 'queries.csv', '-f', 'csv'], {
      cwd,
    });
    expect(csv.code).toBe(0);
    const [header, emily] = csv.stdout.trim().split('\n');
    expect(header).toBe('weight,height,female');
    expect(emily).toMatch(/^-7,-3,0\.9\d+$/);
    const json = await dendrite(['predict', 'model.json', '--input', 'queries.csv', '--json'], {
      cwd,
    });
    const report = JSON.parse(json.stdout);
    expect(report.inputs).toEqual(['weight', 'height']);
    expect(report.predictions[1].input).toEqual([20, 2]);
    expect(report.predictions[1].output[0]).toBeLessThan(0.1);
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
      2,
      'input 1 has 3 numbers; model.json takes 2 (weight, height)',
    ],
    [['predict', 'model.json', '1,abc'], 2, 'input 1 "1,abc" is not comma-separated numbers'],
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
