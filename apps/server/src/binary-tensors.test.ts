import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const lecture = lectureModel();
const { call } = testServer(() => ({ models: new Map([['lecture', lecture]]), maxBatch: 100 }));
const rows = [
  [-7, -3],
  [20, 2],
  [0.1, 1e-3],
];

/** An infer request with its numbers as binary data after the JSON: the body and its headers. */
function binaryRequest(
  numbers: Float64Array | Float32Array,
  input: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const datatype = numbers instanceof Float64Array ? 'FP64' : 'FP32';
  const json = JSON.stringify({
    inputs: [
      {
        name: 'input',
        shape: [numbers.length / 2, 2],
        datatype,
        parameters: { binary_data_size: numbers.byteLength },
        ...input,
      },
    ],
  });
  const header = Buffer.from(json);
  return {
    body: new Uint8Array(Buffer.concat([header, Buffer.from(numbers.buffer)])),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
      ...headers,
    },
  };
}

describe('binary tensor data (the Open Inference Protocol binary extension)', () => {
  it('infers from numbers sent as raw little-endian bytes after the JSON, as from JSON numbers', async () => {
    const json = await call('POST', '/v2/models/lecture/infer', {
      body: { inputs: [{ name: 'input', shape: [3, 2], datatype: 'FP64', data: rows.flat() }] },
    });
    const binary = await call(
      'POST',
      '/v2/models/lecture/infer',
      binaryRequest(new Float64Array(rows.flat())),
    );
    expect(binary.status).toBe(200);
    expect(binary.json).toEqual(json.json);
    // FP32, each number a float32 as JSON's FP32 rounds it; and with no Content-Type at all.
    const floats = new Float32Array(rows.flat());
    const asJson = await call('POST', '/v2/models/lecture/infer', {
      body: { inputs: [{ name: 'input', shape: [3, 2], datatype: 'FP32', data: rows.flat() }] },
    });
    const request = binaryRequest(floats);
    const noType = {
      'inference-header-content-length': request.headers['inference-header-content-length'],
    };
    const fp32 = await call('POST', '/v2/models/lecture/infer', { ...request, headers: noType });
    expect(fp32.json).toEqual(asJson.json);
  });

  it.each([
    [
      'a size that does not fit the shape',
      { parameters: { binary_data_size: 40 } },
      {},
      "input 'input' has binary_data_size 40; its shape [3,2] of FP64 needs 48 bytes",
    ],
    [
      'data and binary data both',
      { data: rows.flat() },
      {},
      'gives both data and binary_data_size',
    ],
    [
      'no size and no data',
      { parameters: {} },
      {},
      "input 'input' has no data: give its numbers as data, or as binary data",
    ],
    [
      'a header longer than the body',
      {},
      { 'inference-header-content-length': '99999' },
      'Inference-Header-Content-Length must be the length of the body',
    ],
    ['a header that is not a number', {}, { 'inference-header-content-length': 'ten' }, 'got ten'],
    ['a content type of text', {}, { 'content-type': 'text/plain' }, 'send the body as JSON'],
  ] as [string, Record<string, unknown>, Record<string, string>, string][])(
    'refuses %s, saying so',
    async (_, input, headers, message) => {
      const response = await call(
        'POST',
        '/v2/models/lecture/infer',
        binaryRequest(new Float64Array(rows.flat()), input, headers),
      );
      expect(response.status).toBe(headers['content-type'] === 'text/plain' ? 415 : 400);
      expect(response.json.error).toContain(message);
    },
  );

  it('refuses bytes missing, numbers that are not finite, and binary parts on JSON-only routes', async () => {
    const { body, headers } = binaryRequest(new Float64Array(rows.flat()));
    const short = await call('POST', '/v2/models/lecture/infer', {
      body: body.subarray(0, body.length - 8),
      headers,
    });
    expect(short.json.error).toContain('the body has 40 bytes after the JSON');
    const infinite = await call(
      'POST',
      '/v2/models/lecture/infer',
      binaryRequest(new Float64Array([1, 2, Infinity, 4, 5, 6])),
    );
    expect(infinite.json.error).toBe(
      "input 'input' element 2 is not a finite number (got Infinity)",
    );
    const predict = await call('POST', '/v1/models/lecture:predict', { body, headers });
    expect(predict.status).toBe(400);
    expect(predict.json.error).toBe('this route takes the body as JSON only, with no binary part');
  });
});
