import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lectureData, lectureNetwork, Network, saveModel, train } from '@dendrite/nn';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { scanRepository } from '@dendrite/nn/repository';
import { testServer } from './test-server.test-helper.js';

const token = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${token}` };
const modelFile = (seed: number) => {
  const network = lectureNetwork({ seed });
  train(network, lectureData, { epochs: 50, learningRate: 0.1 });
  return { text: saveModel(network), network };
};
const first = modelFile(3);
const second = modelFile(4);
const emptyRepository = () => mkdtempSync(join(tmpdir(), 'dendrite-repository-'));
const infer = {
  inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
};
const prediction = (json: Record<string, unknown>) =>
  (json.outputs as { data: number[] }[])[0]!.data;

describe('the model repository on disk', () => {
  it('reads versions in the Triton layout, a flat file as version 1, and reports what it cannot use', async () => {
    const dir = emptyRepository();
    for (const version of ['1', '3']) {
      mkdirSync(join(dir, 'iris', version), { recursive: true });
      writeFileSync(join(dir, 'iris', version, 'model.json'), first.text);
    }
    mkdirSync(join(dir, 'iris', '.staging-x')); // a write in progress: never read
    mkdirSync(join(dir, 'iris', '07')); // not a version name
    mkdirSync(join(dir, 'iris', '4')); // a version directory still empty
    writeFileSync(join(dir, 'lecture.json'), first.text);
    writeFileSync(join(dir, ' spaced.json'), first.text);
    writeFileSync(join(dir, 'notes.txt'), 'not a model');
    const scan = await scanRepository(dir);
    expect([...scan.models.keys()]).toEqual(['iris', 'lecture']);
    expect([...scan.models.get('iris')!.versions.keys()]).toEqual([1, 3]);
    expect(scan.models.get('lecture')!.versions.get(1)!.path).toBe(join(dir, 'lecture.json'));
    expect(scan.problems.map((p) => p.reason)).toEqual([
      '" spaced" is not a model name (letters, digits, _ . - only)',
      'a version directory without model.json',
    ]);
  });

  it('serves a broken file as unavailable with its reason, and the others', async () => {
    const dir = emptyRepository();
    writeFileSync(join(dir, 'good.json'), first.text);
    writeFileSync(join(dir, 'broken.json'), '{"format": "dendrite-model", "version": 9}');
    const catalog = new Catalog({ repository: dir });
    await catalog.sync();
    expect(catalog.index()).toEqual([
      {
        name: 'broken',
        version: '1',
        state: 'UNAVAILABLE',
        reason: 'model format version 9 is not supported; this dendrite reads versions 1 and 2',
      },
      { name: 'good', version: '1', state: 'READY', reason: '' },
    ]);
    expect(() => catalog.find('broken')).toThrow(/version 1 is unavailable: model format/);
  });

  it('serves a model of categories as unavailable, saying why', async () => {
    const dir = emptyRepository();
    const network = new Network([4, 1], { init: 'zero' });
    const categories = [['oat', 'plain', 'whole'], null];
    const text = saveModel(network, { categories }, { inputs: ['milk', 'shots'] });
    writeFileSync(join(dir, 'coffee.json'), text);
    const catalog = new Catalog({ repository: dir });
    await catalog.sync();
    expect(catalog.index()[0]).toMatchObject({ name: 'coffee', state: 'UNAVAILABLE' });
    expect(catalog.index()[0]!.reason).toMatch(
      /^it one-hot encodes columns of categories \(milk\), and this server's inputs are FP32 or FP64 tensors of numbers only/,
    );
  });
});

describe('model control over HTTP', () => {
  const dir = emptyRepository();
  mkdirSync(join(dir, 'kept', '2'), { recursive: true });
  writeFileSync(join(dir, 'kept', '2', 'model.json'), first.text);
  const { call } = testServer(async () => {
    const catalog = new Catalog({ repository: dir });
    await catalog.sync();
    return { catalog, adminToken: token, uploads: 2 };
  });

  it('adds a model with PUT as a new version on disk, which a restarted server serves', async () => {
    const added = await call('PUT', '/v2/models/mine', {
      body: JSON.parse(first.text),
      headers: admin,
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ name: 'mine', versions: ['1'] });
    const replaced = await call('PUT', '/v2/models/mine', {
      body: JSON.parse(second.text),
      headers: admin,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ versions: ['1', '2'] });
    expect(readdirSync(join(dir, 'mine')).sort()).toEqual(['1', '2']);
    // The highest version is the default; each version answers under its own path.
    const latest = await call('POST', '/v2/models/mine/infer', { body: infer });
    expect(latest.json.model_version).toBe('2');
    expect(prediction(latest.json)).toEqual(second.network.predict([-7, -3]));
    const older = await call('POST', '/v2/models/mine/versions/1/infer', { body: infer });
    expect(prediction(older.json)).toEqual(first.network.predict([-7, -3]));

    const restarted = new Catalog({ repository: dir });
    await restarted.sync();
    expect(restarted.versions('mine')).toEqual(['1', '2']);
    expect(restarted.find('mine').predict([[-7, -3]])).toEqual([second.network.predict([-7, -3])]);
  });

  it('loads with the model file in the request (dendrite or Triton style), unloads and loads again', async () => {
    const body = { parameters: { model: JSON.parse(first.text) } };
    const loaded = await call('POST', '/v2/repository/models/kept/load', { body, headers: admin });
    expect(loaded.json).toEqual({ name: 'kept', version: '3', state: 'READY', reason: '' });
    const triton = {
      parameters: { 'file:1/model.json': Buffer.from(second.text).toString('base64') },
    };
    expect(
      (await call('POST', '/v2/repository/models/kept/load', { body: triton, headers: admin }))
        .json,
    ).toMatchObject({ version: '4', state: 'READY' });

    const unloaded = await call('POST', '/v2/repository/models/kept/unload', { headers: admin });
    expect(unloaded.status).toBe(200);
    expect(existsSync(join(dir, 'kept', 'unloaded'))).toBe(true);
    const gone = await call('POST', '/v2/models/kept/infer', { body: infer });
    expect([gone.status, gone.json.error]).toEqual([404, "unknown model 'kept' (it is unloaded)"]);
    const index = await call('POST', '/v2/repository/index');
    expect(index.json).toContainEqual({
      name: 'kept',
      version: '',
      state: 'UNAVAILABLE',
      reason: 'unloaded',
    });

    const again = await call('POST', '/v2/repository/models/kept/load', { headers: admin });
    expect(again.json).toMatchObject({ name: 'kept', version: '4', state: 'READY' });
    expect((await call('GET', '/v2/models/kept')).json.versions).toEqual(['2', '3', '4']);
    const ready = await call('POST', '/v2/repository/index', { body: { ready: true } });
    expect((ready.json as unknown as { name: string }[]).every((m) => m.name !== '')).toBe(true);
  });

  it.each([
    ['no token', {}, 401, 'this needs the admin token: Authorization: Bearer <token>'],
    ['a wrong token', { authorization: 'Bearer nope' }, 401, 'the admin token is wrong'],
    [
      'another scheme',
      { authorization: `Basic ${token}` },
      401,
      'this needs the admin token: Authorization: Bearer <token>',
    ],
  ])('refuses a write with %s', async (_, headers, status, error) => {
    for (const [method, path] of [
      ['PUT', '/v2/models/intruder'],
      ['POST', '/v2/repository/models/kept/load'],
      ['POST', '/v2/repository/models/kept/unload'],
    ] as const) {
      const response = await call(method, path, { body: JSON.parse(first.text), headers });
      expect([response.status, response.json.error]).toEqual([status, error]);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect(existsSync(join(dir, 'intruder'))).toBe(false);
  });

  it.each([
    [
      'an invalid model file',
      '/v2/models/bad',
      { format: 'dendrite-model', version: 1 },
      400,
      /^invalid model file: shape/,
    ],
    [
      'a name that is not a plain word',
      '/v2/models/..%2Fetc',
      JSON.parse(first.text),
      400,
      /a model name is letters/,
    ],
    ['a version', '/v2/models/mine/versions/1', JSON.parse(first.text), 405, /without a version/],
  ])('refuses %s', async (_, path, body, status, message) => {
    const response = await call('PUT', path, { body, headers: admin });
    expect(response.status).toBe(status);
    expect(response.json.error).toMatch(message);
  });

  it('takes at most the configured number of new models, even sent all at once', async () => {
    const puts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('PUT', `/v2/models/burst${i}`, { body: JSON.parse(first.text), headers: admin }),
      ),
    );
    // "mine" took one of the two; one more fits.
    expect(puts.map((p) => p.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(puts.find((p) => p.status === 409)!.json.error).toBe(
      'this server takes at most 2 new models from clients',
    );
    expect(readdirSync(dir).filter((name) => name.startsWith('burst'))).toHaveLength(1);
  });
});

describe('without a repository or a token', () => {
  const { call } = testServer(() => ({ models: new Map() }));
  it('turns writes off and says why', async () => {
    const put = await call('PUT', '/v2/models/mine', { body: JSON.parse(first.text) });
    expect([put.status, put.json.error]).toEqual([
      403,
      'model writes are off: start the server with --admin-token (or DENDRITE_ADMIN_TOKEN) to allow them',
    ]);
    const index = await call('POST', '/v2/repository/index');
    expect([index.status, index.json]).toEqual([200, []]);
  });
});

describe('replicas on one repository', () => {
  it('converge: a load or an unload on one is served by the other after its next scan', async () => {
    const dir = emptyRepository();
    const [a, b] = [new Catalog({ repository: dir }), new Catalog({ repository: dir })];
    await Promise.all([a.sync(), b.sync()]);
    await a.add('shared', first.text);
    expect(() => b.find('shared')).toThrow(/unknown model 'shared'/);
    await b.sync();
    expect(b.find('shared').predict([[-7, -3]])).toEqual([first.network.predict([-7, -3])]);
    // Both add a version at once: each gets its own number.
    const versions = await Promise.all([
      a.add('shared', second.text),
      b.add('shared', second.text),
    ]);
    expect(versions.map((v) => v.version).sort()).toEqual(['2', '3']);
    await b.unload('shared');
    await a.sync();
    expect(() => a.find('shared')).toThrow(/it is unloaded/);
  });
});

describe('a large model', () => {
  it('compiles in a worker thread, answering 503 "loading" until ready, while the rest answers, then runs here', async () => {
    const dir = emptyRepository();
    const network = new Network([16, 32, 2], { seed: 1 });
    const text = saveModel(network);
    writeFileSync(join(dir, 'small.json'), first.text);
    const catalog = new Catalog({ repository: dir, workerAbove: 4 * 1024 });
    await catalog.sync();
    mkdirSync(join(dir, 'large', '1'), { recursive: true });
    writeFileSync(join(dir, 'large', '1', 'model.json'), text);
    expect(text.length).toBeGreaterThan(4 * 1024);
    const synced = catalog.sync();
    while (!catalog.index().some((m) => m.name === 'large')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(() => catalog.find('large')).toThrow(/model 'large' version 1 is loading/);
    expect(catalog.find('small').predict([[-7, -3]])).toEqual([first.network.predict([-7, -3])]);
    await synced;
    const input = Array.from({ length: 16 }, (_, i) => i / 10 - 0.8);
    expect(catalog.find('large').predict([input])).toEqual([network.predict(input)]);
  });
});

describe('a written model file', () => {
  it('is whole: the repository never holds a partial file or a leftover staging directory', async () => {
    const dir = emptyRepository();
    const catalog = new Catalog({ repository: dir });
    await Promise.all(Array.from({ length: 5 }, () => catalog.add('many', first.text)));
    expect(readdirSync(join(dir, 'many')).sort()).toEqual(['1', '2', '3', '4', '5']);
    for (const version of ['1', '5']) {
      expect(JSON.parse(readFileSync(join(dir, 'many', version, 'model.json'), 'utf8'))).toEqual(
        JSON.parse(first.text),
      );
    }
  });
});
