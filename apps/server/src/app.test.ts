import { gzipSync } from 'node:zlib';
import { Network } from '@dendrite/nn';
import { describe, expect, it } from 'vitest';
import serverPackage from '../package.json' with { type: 'json' };
import { lectureModel, serve } from './models.js';
import { testServer } from './test-server.test-helper.js';

const lecture = lectureModel();
/** A model whose output overflows for large inputs: linear, with a huge weight. */
const overflowing = (() => {
  const network = new Network([1, 1], { activation: 'linear', init: 'zero' });
  network.parameters()[0]!.value = 1e308;
  return serve('overflowing', { network });
})();
const { call, app } = testServer(() => ({
  models: new Map([
    ['lecture', lecture],
    ['overflowing', overflowing],
  ]),
  bodyLimit: '10kb',
  maxBatch: 100,
}));

const infer = (data: unknown, extra: Record<string, unknown> = {}, shape: unknown = [2, 2]) => ({
  inputs: [{ name: 'input', shape, datatype: 'FP64', data }],
  ...extra,
});
// Emily and Frank as the lecture asks about them, in pounds and inches.
const rows = [
  [128, 63],
  [155, 68],
];
const expected = lecture.predict(rows) as number[][];

describe('the Open Inference Protocol', () => {
  it('answers liveness, readiness and server metadata', async () => {
    expect((await call('GET', '/v2/health/live')).json).toEqual({ live: true });
    expect((await call('GET', '/v2/health/ready')).json).toEqual({ ready: true });
    expect((await call('GET', '/v2')).json).toEqual({
      name: 'dendrite',
      version: serverPackage.version, // the server's own, as the protocol asks
      extensions: ['model_repository', 'statistics'],
    });
  });

  it('describes a model, with or without its version', async () => {
    const metadata = {
      name: 'lecture',
      versions: ['1'],
      platform: 'dendrite',
      inputs: [
        {
          name: 'input',
          datatype: 'FP64',
          shape: [-1, 2],
          parameters: { columns: ['weight_lb', 'height_in'] },
        },
      ],
      // The lecture's network is a classifier: its output is the probability of F.
      outputs: [
        { name: 'output', datatype: 'FP64', shape: [-1, 1], parameters: { columns: ['F'] } },
        { name: 'class', datatype: 'BYTES', shape: [-1], parameters: { classes: ['M', 'F'] } },
      ],
    };
    expect((await call('GET', '/v2/models/lecture')).json).toEqual(metadata);
    expect((await call('GET', '/v2/models/lecture/versions/1')).json).toEqual(metadata);
    expect((await call('GET', '/v2/models/lecture/ready')).json).toEqual({
      name: 'lecture',
      ready: true,
    });
    expect((await call('GET', '/v2/models/lecture/versions/1/ready')).status).toBe(200);
  });

  it('infers from flat and nested data, echoing the id, on both paths', async () => {
    const body = {
      model_name: 'lecture',
      model_version: '1',
      id: 'req-7',
      outputs: [
        { name: 'output', datatype: 'FP64', shape: [2, 1], data: expected.flat() },
        { name: 'class', datatype: 'BYTES', shape: [2], data: ['F', 'M'] },
      ],
    };
    // The lecture's own answers: Emily 0.965 (F), Frank 0.039 (M).
    expect(expected.map(([p]) => p!.toFixed(3))).toEqual(['0.965', '0.039']);
    expect(
      (
        await call('POST', '/v2/models/lecture/infer', {
          body: infer(rows.flat(), { id: 'req-7' }),
        })
      ).json,
    ).toEqual(body);
    expect(
      (
        await call('POST', '/v2/models/lecture/versions/1/infer', {
          body: infer(rows, { id: 'req-7' }),
        })
      ).json,
    ).toEqual(body);
    const fp32 = {
      inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP32', data: [[128, 63]] }],
      outputs: [{ name: 'output' }],
    };
    const response = await call('POST', '/v2/models/lecture/infer', { body: fp32 });
    expect(response.status).toBe(200);
    expect(response.json.id).toBeUndefined();
    // Only the output asked for.
    expect(response.json.outputs).toEqual([
      { name: 'output', datatype: 'FP64', shape: [1, 1], data: expected[0] },
    ]);
  });

  it('accepts a gzip-compressed body within the limit', async () => {
    const response = await call('POST', '/v2/models/lecture/infer', {
      body: gzipSync(JSON.stringify(infer(rows))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
  });
});

describe('TensorFlow Serving style', () => {
  it('predicts instances, or inputs into outputs, and reports model status', async () => {
    // A classifier has two named outputs, its probabilities and its class, in both forms.
    expect(
      (await call('POST', '/v1/models/lecture:predict', { body: { instances: rows } })).json,
    ).toEqual({
      predictions: [
        { output: expected[0], class: 'F' },
        { output: expected[1], class: 'M' },
      ],
    });
    expect(
      (await call('POST', '/v1/models/lecture/versions/1:predict', { body: { inputs: rows } }))
        .json,
    ).toEqual({ outputs: { output: expected, class: ['F', 'M'] } });
    // A model of one output gives its lists as they are.
    expect(
      (await call('POST', '/v1/models/overflowing:predict', { body: { instances: [[1e-300]] } }))
        .json,
    ).toEqual({ predictions: [[1e308 * 1e-300]] });
    expect((await call('GET', '/v1/models/lecture')).json).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
  });

  it('points instances sent to the Open Inference Protocol’s infer to :predict', async () => {
    const response = await call('POST', '/v2/models/lecture/infer', { body: { instances: rows } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error:
        '"instances" is TensorFlow Serving\'s request: POST it to /v1/models/lecture:predict, or send this route "inputs" (the Open Inference Protocol\'s tensors)',
    });
  });

  it('rejects a bad instance', async () => {
    const response = await call('POST', '/v1/models/lecture:predict', {
      body: { instances: [[1, 2], [3]] },
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: "instances[1] should be a list of 2 numbers for model 'lecture'",
    });
    expect(
      (
        await call('POST', '/v1/models/lecture:predict', {
          body: { instances: [[1, 2]], inputs: [[1, 2]] },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', '/v1/models/lecture:predict', { body: { instances: [['a', 2]] } })).json
        .error,
    ).toMatch(/not a finite number/);
  });
});

describe('operations', () => {
  it('serves an OpenAPI document and security headers', async () => {
    const response = await call('GET', '/openapi.json');
    expect(response.json.openapi).toBe('3.1.0');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('bad requests get a 4xx and a JSON error naming the problem', () => {
  const cases: [
    string,
    string,
    string,
    { body?: unknown; headers?: Record<string, string> },
    number,
    string | RegExp,
  ][] = [
    [
      'wrong content type',
      'POST',
      '/v2/models/lecture/infer',
      { body: 'x', headers: { 'content-type': 'text/plain' } },
      415,
      'send the body as JSON (Content-Type: application/json)',
    ],
    [
      'no content type',
      'POST',
      '/v2/models/lecture/infer',
      { body: 'x' },
      415,
      /send the body as JSON/,
    ],
    [
      'malformed JSON',
      'POST',
      '/v2/models/lecture/infer',
      { body: '{"inputs": [', headers: { 'content-type': 'application/json' } },
      400,
      'the body is not valid JSON',
    ],
    [
      'a body over the limit',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer(Array(20000).fill(1), {}, [10000, 2]) },
      413,
      /^the body \(\d+ bytes\) is over this server's limit of 10KB$/,
    ],
    [
      'an unknown content encoding',
      'POST',
      '/v2/models/lecture/infer',
      { body: 'x', headers: { 'content-type': 'application/json', 'content-encoding': 'br2' } },
      415,
      /unsupported Content-Encoding/,
    ],
    [
      'a JSON array body',
      'POST',
      '/v2/models/lecture/infer',
      { body: [] },
      400,
      'the inference request must be a JSON object',
    ],
    [
      'a missing field',
      'POST',
      '/v2/models/lecture/infer',
      { body: {} },
      400,
      /^invalid inference request: inputs: /,
    ],
    [
      'an extra field',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer(rows, { priority: 1 }) },
      400,
      /^invalid inference request: .*priority/,
    ],
    [
      'an extra field in an input',
      'POST',
      '/v2/models/lecture/infer',
      {
        body: {
          inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [1, 2], dims: [1] }],
        },
      },
      400,
      /inputs\[0\].*dims/,
    ],
    [
      'a wrong input name',
      'POST',
      '/v2/models/lecture/infer',
      { body: { inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP64', data: [1, 2] }] } },
      400,
      "unexpected inference input 'x' for model 'lecture'",
    ],
    [
      'a wrong output name',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer(rows, { outputs: [{ name: 'y' }] }) },
      400,
      "unexpected inference output 'y' for model 'lecture'; it has 'output' and 'class'",
    ],
    [
      'a wrong datatype',
      'POST',
      '/v2/models/lecture/infer',
      { body: { inputs: [{ name: 'input', shape: [1, 2], datatype: 'INT32', data: [1, 2] }] } },
      400,
      "input 'input' for model 'lecture' has datatype INT32; it takes FP32 or FP64",
    ],
    [
      'an unknown datatype',
      'POST',
      '/v2/models/lecture/infer',
      { body: { inputs: [{ name: 'input', shape: [1, 2], datatype: 'FLOAT', data: [1, 2] }] } },
      400,
      "input 'input' has an unknown datatype 'FLOAT'",
    ],
    [
      'a non-numeric element',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2, 'three', 4]) },
      400,
      'input \'input\' element 2 is not a finite number (got "three")',
    ],
    [
      'a null element',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, null, 3, 4]) },
      400,
      /element 1 is not a finite number \(got null\)/,
    ],
    [
      '1e400, which JSON reads as Infinity',
      'POST',
      '/v2/models/lecture/infer',
      {
        body: '{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[1e400,1]}]}',
        headers: { 'content-type': 'application/json' },
      },
      400,
      "input 'input' element 0 is not a finite number (got Infinity)",
    ],
    [
      'a shape that disagrees with the model',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2, 3], {}, [1, 3]) },
      400,
      "unexpected shape for input 'input' for model 'lecture'. Expected [-1,2], got [1,3]",
    ],
    [
      'a shape that is not two numbers',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2], {}, ['1', 2]) },
      400,
      `unexpected shape for input 'input' for model 'lecture'. Expected [-1,2], got ["1",2]`,
    ],
    [
      'a shape that disagrees with the data',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2, 3, 4, 5, 6], {}, [2, 2]) },
      400,
      "input 'input' has 6 numbers; its shape [2,2] needs 4",
    ],
    [
      'too little data for the shape',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2, 3], {}, [2, 2]) },
      400,
      "input 'input' has 3 numbers; its shape [2,2] needs 4",
    ],
    [
      'an absurd shape',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([1, 2], {}, [1e15, 2]) },
      400,
      "a batch of 1000000000000000 rows is over this server's limit of 100",
    ],
    [
      'a batch over the limit',
      'POST',
      '/v1/models/lecture:predict',
      { body: { instances: Array(101).fill([1, 2]) } },
      400,
      "a batch of 101 rows is over this server's limit of 100",
    ],
    [
      'an empty batch',
      'POST',
      '/v2/models/lecture/infer',
      { body: infer([], {}, [0, 2]) },
      400,
      'the batch is empty: send at least one row',
    ],
    [
      'an unknown model',
      'POST',
      '/v2/models/nope/infer',
      { body: infer(rows) },
      404,
      "unknown model 'nope'",
    ],
    [
      'an unknown model with a bad body',
      'POST',
      '/v2/models/nope/infer',
      { body: 'x', headers: { 'content-type': 'text/plain' } },
      404,
      "unknown model 'nope'",
    ],
    ['__proto__ as a model', 'GET', '/v2/models/__proto__', {}, 404, "unknown model '__proto__'"],
    [
      'constructor as a model',
      'POST',
      '/v1/models/constructor:predict',
      { body: { instances: [[1, 2]] } },
      404,
      "unknown model 'constructor'",
    ],
    [
      'a path as a model',
      'GET',
      '/v2/models/..%2F..%2Fetc%2Fpasswd',
      {},
      404,
      "unknown model '../../etc/passwd'",
    ],
    [
      'an unknown version',
      'GET',
      '/v2/models/lecture/versions/2',
      {},
      404,
      "unknown version '2' of model 'lecture' (it has version 1)",
    ],
    [
      'the wrong method',
      'GET',
      '/v2/models/lecture/infer',
      {},
      405,
      'use POST for /v2/models/:model/infer',
    ],
    [
      'the wrong method on health',
      'DELETE',
      '/v2/health/live',
      {},
      405,
      'use GET for /v2/health/live',
    ],
    ['an unknown route', 'GET', '/v3/everything', {}, 404, 'no such route: GET /v3/everything'],
  ];

  it.each(cases)('%s', async (_, method, path, request, status, message) => {
    const response = await call(method, path, request);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(response.json)).toEqual(['error']);
    if (typeof message === 'string') expect(response.json.error).toBe(message);
    else expect(response.json.error).toMatch(message);
    expect(response.text).not.toMatch(/\bat .*:\d+:\d+/); // never a stack trace
  });

  it('says which methods a 405 allows', async () => {
    expect((await call('PUT', '/v2/models/lecture/infer')).headers.get('allow')).toBe('POST');
  });

  it('rejects a gzip body that inflates past the limit', async () => {
    const bomb = gzipSync(JSON.stringify(infer(' '.repeat(200_000))));
    expect(bomb.length).toBeLessThan(10_000);
    const response = await call('POST', '/v2/models/lecture/infer', {
      body: bomb,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(413);
  });

  it('refuses ragged or partly nested data, whatever its count of numbers', async () => {
    for (const data of [
      [[-7, -3, 20], [2]],
      [[-7], -3, 20, 2],
      [[[-7, -3]], [[20, 2]]],
      [-7, -3, [20, 2]],
    ]) {
      const response = await call('POST', '/v2/models/lecture/infer', { body: infer(data) });
      expect(response.status, JSON.stringify(data)).toBe(400);
      expect(response.json.error).toMatch(/^input 'input' /);
    }
  });

  it('keeps FP32 data within the FP32 range, and rounds it to FP32', async () => {
    const fp32 = (data: number[]) => ({
      inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP32', data }],
    });
    const over = await call('POST', '/v2/models/lecture/infer', { body: fp32([1e39, 0]) });
    expect(over.status).toBe(400);
    expect(over.json.error).toBe(
      "input 'input' element 0 (1e+39) is outside the FP32 range; send it as FP64",
    );
    const answer = await call('POST', '/v2/models/lecture/infer', { body: fp32([0.1, -3]) });
    expect((answer.json.outputs as { data: number[] }[])[0]!.data).toEqual(
      (lecture.predict([[Math.fround(0.1), -3]]) as number[][])[0],
    );
  });

  it('answers a non-finite model output with a 422 that names it, never null', async () => {
    const response = await call('POST', '/v2/models/overflowing/infer', {
      body: infer([1e10], {}, [1, 1]),
    });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      error:
        "model 'overflowing' gave a non-finite value (Infinity) in output 'output' at [0][0]; its weights or this input are out of range",
    });
    expect((await call('GET', '/v2/health/live')).status).toBe(200);
  });
});

describe('shutting down', () => {
  it('turns readiness to 503 at once', async () => {
    app().shuttingDown();
    const response = await call('GET', '/v2/health/ready');
    expect(response.status).toBe(503);
    expect(response.json).toEqual({ error: 'the server is shutting down' });
    expect(response.headers.get('connection')).toBe('close');
    expect((await call('GET', '/v2/models/lecture/ready')).status).toBe(503);
    expect((await call('GET', '/v2/health/live')).status).toBe(200);
  });
});
