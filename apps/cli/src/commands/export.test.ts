import { loadModel } from '@dendrite/nn';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  const iris = await readFile(
    new URL('../../../../packages/fixtures/data/iris.csv', import.meta.url),
    'utf8',
  );
  cwd = await workspace(
    { 'iris.csv': iris, 'broken.json': '{"format": "dendrite-model", "version": 2, "shape": [2]}' },
    { trained: true },
  );
  const run = await dendrite(
    ['train', 'iris.csv', '--target', 'species', '--epochs', '30', '-q', '-o', 'iris.json'],
    { cwd },
  );
  expect(run.code).toBe(0);
});

const tensor = (rows: number[][]) =>
  new ort.Tensor('float64', Float64Array.from(rows.flat()), [rows.length, rows[0]!.length]);

describe('dendrite export', () => {
  it('writes a model as ONNX that ONNX Runtime runs on raw inputs, as dendrite predicts', async () => {
    const run = await dendrite(['export', 'iris.json'], { cwd });
    expect(run.stdout).toBe('wrote iris.onnx\n');
    const session = await ort.InferenceSession.create(join(cwd, 'iris.onnx'));
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['output', 'class']);
    const flowers = [
      [5.1, 3.5, 1.4, 0.2],
      [6.3, 2.9, 5.6, 1.8],
    ];
    const result = await session.run({ input: tensor(flowers) });
    const predicted = JSON.parse(
      (
        await dendrite(['predict', 'iris.json', ...flowers.map((f) => f.join(',')), '--json'], {
          cwd,
        })
      ).stdout,
    );
    const output = Array.from(result.output!.data as Float64Array);
    predicted.predictions.forEach((p: { output: number[]; class: string }, r: number) => {
      p.output.forEach((y, k) => expect(Math.abs(output[r * 3 + k]! - y)).toBeLessThan(1e-12));
      expect(result.class!.data[r]).toBe(p.class);
    });
    expect((await readdir(cwd)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a Triton model repository entry', async () => {
    const run = await dendrite(['export', 'iris.json', '--triton', 'repository', '--float32'], {
      cwd,
    });
    expect(run.code).toBe(0);
    const config = await readFile(join(cwd, 'repository/iris/config.pbtxt'), 'utf8');
    expect(config).toContain('name: "iris"');
    expect(config).toContain('backend: "onnxruntime"');
    expect(config).toContain('{ name: "input", data_type: TYPE_FP32, dims: [ -1, 4 ] }');
    expect(config).toContain('{ name: "class", data_type: TYPE_STRING, dims: [ -1 ] }');
    const session = await ort.InferenceSession.create(join(cwd, 'repository/iris/1/model.onnx'));
    const input = new ort.Tensor('float32', Float32Array.from([5.1, 3.5, 1.4, 0.2]), [1, 4]);
    expect((await session.run({ input })).class!.data).toEqual(['setosa']);
  });

  it("exports the engine's loss graph with its symbolic gradients, op by op", async () => {
    const run = await dendrite(
      ['export', 'model.json', '--graph', '--of', 'loss', '-o', 'loss.onnx'],
      { cwd },
    );
    expect(run.code).toBe(0);
    const session = await ort.InferenceSession.create(join(cwd, 'loss.onnx'));
    expect(session.inputNames).toEqual(['x1', 'x2', 'y']);
    expect(session.outputNames.slice(0, 3)).toEqual(['L', 'dL_dw1', 'dL_dw2']);
    const scalar = (v: number) => new ort.Tensor('float64', new Float64Array([v]), []);
    const result = await session.run({ x1: scalar(-2), x2: scalar(-1), y: scalar(1) });
    // The same loss as `dendrite graph` draws for Alice.
    const { network } = loadModel(await readFile(join(cwd, 'model.json'), 'utf8'));
    const o = network.predict([-2, -1])[0]!;
    expect(Math.abs(Number(result.L!.data[0]) - (1 - o) ** 2)).toBeLessThan(1e-15);
  });

  it.each([
    [['export', 'broken.json'], 1, 'broken.json: invalid model file: shape'],
    [['export', 'missing.json'], 1, 'cannot read missing.json'],
    [['export', 'iris.json', '--format', 'pmml'], 2, "argument 'pmml' is invalid"],
    [
      ['export', 'iris.json', '--triton', 'repository', '--name', 'a/b'],
      2,
      '"a/b" is not a Triton model name',
    ],
    [
      ['export', 'iris.json', '--graph', '--triton', 'repository'],
      2,
      '--triton writes a model, not --graph',
    ],
  ])('fails clearly: %j', async (args, code, message) => {
    expectFailure(await dendrite(args, { cwd }), code as 1 | 2, message);
  });
});
