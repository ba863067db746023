import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure } from '../cli.test-helper.js';
import { start, sweepFolder } from './sweep.test-helper.js';

const tiny = `data: iris.csv
target: species
fixed: { epochs: 3 }
parameters: { layers: { values: ["4"] } }
cv: { folds: 2 }
`;
let cwd: string;
beforeAll(async () => {
  cwd = await sweepFolder(tiny);
});

// A stand-in server that records each request and answers as `answer` says.
const received: { method: string; url: string; authorization?: string; body: string }[] = [];
let answer = { status: 201, body: { versions: ['1'] } as object };
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    received.push({
      method: req.method!,
      url: req.url!,
      authorization: req.headers.authorization,
      body,
    });
    res
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body));
  });
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const address = () => `http://127.0.0.1:${(server.address() as { port: number }).port}`;

/** Runs `dendrite` with DENDRITE_ADMIN_TOKEN set (the helper passes the environment on). */
async function withToken(args: string[], token: string | undefined) {
  const before = process.env.DENDRITE_ADMIN_TOKEN;
  if (token === undefined) delete process.env.DENDRITE_ADMIN_TOKEN;
  else process.env.DENDRITE_ADMIN_TOKEN = token;
  try {
    const { done } = start(args, cwd);
    return await done;
  } finally {
    if (before === undefined) delete process.env.DENDRITE_ADMIN_TOKEN;
    else process.env.DENDRITE_ADMIN_TOKEN = before;
  }
}

describe('dendrite sweep --publish', () => {
  it("adds the refit model to a repository folder as the model's next version", async () => {
    for (const [out, version] of [
      ['first', 1],
      ['second', 2],
    ] as const) {
      const run = await dendrite(['sweep', 'iris.yaml', '--out', out, '--publish', 'models'], {
        cwd,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`published iris version ${version} in models`);
      expect(readFileSync(join(cwd, 'models', 'iris', String(version), 'model.json'), 'utf8')).toBe(
        readFileSync(join(cwd, out, 'model.json'), 'utf8'),
      );
    }
  });

  it("PUTs it to a server with the admin token, and reports the server's refusal", async () => {
    const args = [
      'sweep',
      'iris.yaml',
      '--out',
      'put',
      '--publish-url',
      address(),
      '--publish-name',
      'flowers',
    ];
    const run = await withToken(args, 's3cret');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`published flowers to ${address()}/v2/models/flowers`);
    const [put] = received;
    expect(put).toMatchObject({
      method: 'PUT',
      url: '/v2/models/flowers',
      authorization: 'Bearer s3cret',
    });
    expect(put!.body).toBe(readFileSync(join(cwd, 'put', 'model.json'), 'utf8'));
    answer = { status: 401, body: { error: 'the admin token is wrong' } };
    const refused = await withToken([...args.slice(0, 3), 'refused', ...args.slice(4)], 'wrong');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the model \(401\): the admin token is wrong/);
    const tokenless = await withToken(
      [...args.slice(0, 3), 'tokenless', ...args.slice(4)],
      undefined,
    );
    expect(tokenless.code).toBe(2);
    expect(tokenless.stderr).toMatch(/needs the server's admin token in DENDRITE_ADMIN_TOKEN/);
  });

  it('refuses a name the server would not take', async () => {
    const run = await dendrite(
      ['sweep', 'iris.yaml', '--out', 'bad', '--publish', 'models', '--publish-name', '../x'],
      { cwd },
    );
    expectFailure({ ...run, stdout: '' }, 2, /"\.\.\/x" is not a model name/);
  });
});
