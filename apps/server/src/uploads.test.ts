import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lectureData, lectureNetwork, saveModel, train } from '@dendrite/nn';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const page = mkdtempSync(join(tmpdir(), 'dendrite-page-'));
writeFileSync(join(page, 'index.html'), '<!doctype html><title>page</title>');
const { call } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  uploads: 2,
  page,
}));
const trained = (() => {
  const network = lectureNetwork({ seed: 3 });
  train(network, lectureData, { epochs: 200, learningRate: 0.1 });
  return network;
})();
const modelFile = JSON.parse(saveModel(trained));
const infer = (name: string) =>
  call('POST', `/v2/models/${name}/infer`, {
    body: { inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }] },
  });

describe('PUT /v2/models/{name}', () => {
  it('adds a model from a model file, which then answers like any other', async () => {
    const added = await call('PUT', '/v2/models/mine', { body: modelFile });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ name: 'mine', versions: ['1'] });
    const answer = await infer('mine');
    expect(answer.status).toBe(200);
    expect((answer.json.outputs as { data: number[] }[])[0]!.data).toEqual(
      trained.predict([-7, -3]),
    );
    expect((await call('PUT', '/v2/models/mine', { body: modelFile })).status).toBe(200); // replaced
  });

  it.each([
    [
      'an invalid model file',
      '/v2/models/bad',
      { body: { format: 'dendrite-model', version: 1 } },
      400,
      /^invalid model file: shape/,
    ],
    [
      'a name that is not a plain word',
      '/v2/models/..%2Fetc',
      { body: modelFile },
      400,
      /a model name is letters/,
    ],
    [
      'a model the server brought',
      '/v2/models/lecture',
      { body: modelFile },
      409,
      /served from the server's own models/,
    ],
    ['a version', '/v2/models/mine/versions/1', { body: modelFile }, 405, /without a version/],
    [
      'a body that is not JSON',
      '/v2/models/text',
      { body: 'hello', headers: { 'content-type': 'text/plain' } },
      415,
      /as JSON/,
    ],
  ])('refuses %s', async (_, path, request, status, message) => {
    const response = await call('PUT', path, request);
    expect(response.status).toBe(status);
    expect(response.json.error).toMatch(message);
  });

  it('takes at most the configured number of models', async () => {
    expect((await call('PUT', '/v2/models/second', { body: modelFile })).status).toBe(201);
    const third = await call('PUT', '/v2/models/third', { body: modelFile });
    expect(third.status).toBe(409);
    expect(third.json.error).toBe('this server takes at most 2 uploaded models');
    expect((await infer('lecture')).status).toBe(200); // the others keep serving
  });
});

describe('the page', () => {
  it('is served at /, and the API still answers beside it', async () => {
    const response = await call('GET', '/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<title>page</title>');
    expect((await call('GET', '/no-such-file.js')).status).toBe(404);
    expect((await call('GET', '/v2/health/live')).json).toEqual({ live: true });
  });
});
