import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const { call } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  bodyLimit: '20kb',
  maxBatch: 64,
}));

const modelName = fc.oneof(
  fc.constantFrom('lecture', 'nope', '__proto__', 'constructor', '..', '%2e%2e'),
  fc.string(),
);
const path = fc.oneof(
  modelName.map((m) => `/v2/models/${encodeURIComponent(m)}/infer`),
  fc
    .tuple(modelName, fc.string())
    .map(([m, v]) => `/v2/models/${encodeURIComponent(m)}/versions/${encodeURIComponent(v)}/infer`),
  modelName.map((m) => `/v1/models/${encodeURIComponent(m)}:predict`),
  fc.constantFrom(
    '/v2',
    '/v2/health/live',
    '/v2/health/ready',
    '/v2/models/lecture',
    '/v2/models/lecture/ready',
    '/v1/models/lecture',
    '/openapi.json',
  ),
  fc.webPath().map((p) => p || '/'),
);
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324));
const tensor = fc.record(
  {
    name: fc.oneof(fc.constant('input'), fc.string()),
    shape: fc.oneof(
      fc.tuple(fc.nat(70), fc.constantFrom(2, 3)),
      fc.array(fc.oneof(number, fc.string())),
    ),
    datatype: fc.constantFrom('FP64', 'FP32', 'INT32', 'BYTES', 'nonsense'),
    data: fc.oneof(fc.array(number), fc.array(fc.array(number)), fc.jsonValue()),
    parameters: fc.dictionary(fc.string(), fc.jsonValue()),
  },
  { requiredKeys: ['name', 'shape', 'datatype', 'data'] },
);
const body = fc.oneof(
  fc
    .record(
      {
        inputs: fc.array(tensor, { maxLength: 3 }),
        id: fc.string(),
        outputs: fc.array(fc.record({ name: fc.string() })),
      },
      { requiredKeys: ['inputs'] },
    )
    .map((b) => JSON.stringify(b)),
  fc
    .record({ instances: fc.oneof(fc.array(fc.array(number)), fc.jsonValue()) })
    .map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant(
    '{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[1e400,-1e400]}]}',
  ),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'application/vnd.api+json',
    ),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'identity', 'br', 'x-unknown'),
    accept: fc.constantFrom('application/json', '*/*', 'text/html'),
  },
  { requiredKeys: [] },
);

describe('whatever a client sends', () => {
  it('never gets a 5xx (but the documented non-finite output) and never stops the server', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        path,
        body,
        headers,
        async (method, at, text, sent) => {
          const response = await call(
            method,
            at,
            method === 'GET' ? { headers: sent } : { body: text, headers: sent },
          );
          const documented =
            response.status === 500 &&
            /gave a non-finite output/.test(String(response.json?.error));
          expect(response.status < 500 || documented, `${response.status} ${response.text}`).toBe(
            true,
          );
          if (response.status >= 400) expect(Object.keys(response.json ?? {})).toEqual(['error']);
          expect((await call('GET', '/v2/health/live')).status).toBe(200);
        },
      ),
      { numRuns: 400 },
    );
  });
});
