// A refusal sent before its request's body was read leaves the client's connection usable: the
// rest of a short body is read and dropped (the connection is kept), a long one is answered with
// `Connection: close` and the connection closes cleanly, without a reset. Real sockets, and
// Node's own keep-alive agent as clients use it.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
const drainLimit = 1024 * 1024;
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const token = 'secret';
const { base } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  bodyLimit: '10kb',
  maxBatch: 4,
  adminToken: token,
}));

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body: Buffer;
  /** Send the body in pieces, without a length (`Transfer-Encoding: chunked`). */
  chunked?: boolean;
}
interface Answer {
  status: number;
  connection: string | undefined;
  error: string | undefined;
  /** Whether the request went out on a connection an earlier request had used. */
  reused: boolean;
}

/** Sends one request through `agent`; rejects on any client error, the refused request's too. */
function send(agent: Agent, sent: Sent): Promise<Answer> {
  const { hostname, port } = new URL(base());
  const headers = { 'content-type': 'application/json', ...sent.headers };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, agent, method: sent.method ?? 'POST', path: sent.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { error?: string };
          resolve({
            status: res.statusCode!,
            connection: res.headers.connection,
            error: body.error,
            reused: req.reusedSocket,
          });
        });
      },
    );
    req.on('error', reject);
    if (!sent.chunked) return void req.end(sent.body);
    for (let at = 0; at < sent.body.length; at += 64 * 1024) {
      req.write(sent.body.subarray(at, at + 64 * 1024));
    }
    req.end();
  });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const good: Sent = {
  path: '/v2/models/lecture/infer',
  body: json({ inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }] }),
};
/** A JSON body of about `size` bytes. */
const padded = (size: number) => json({ id: 'x'.repeat(size), inputs: [] });
const short = 20 * 1024; // over the body limit, under the drain limit
const long = 3 * drainLimit;

/** Every kind of refusal the server can send before it has read the whole body, at a body size. */
const refusals = (size: number): [string, Sent, number, RegExp][] => [
  [
    'over the body limit',
    { path: good.path, body: padded(size) },
    413,
    /^the body \(\d+ bytes\) is over this server's limit of 10KB$/,
  ],
  [
    'over the body limit, chunked',
    { path: good.path, body: padded(size), chunked: true },
    413,
    /^the body is over this server's limit of 10KB$/,
  ],
  [
    'over the body limit once inflated',
    {
      path: good.path,
      headers: { 'content-encoding': 'gzip' },
      body: Buffer.concat([gzipSync(padded(64 * 1024)), Buffer.alloc(size)]),
    },
    413,
    /once decompressed \(gzip\)$/,
  ],
  [
    'not valid gzip',
    { path: good.path, headers: { 'content-encoding': 'gzip' }, body: Buffer.alloc(size, 'x') },
    400,
    /^the body is not valid gzip$/,
  ],
  [
    'not JSON',
    { path: good.path, headers: { 'content-type': 'text/csv' }, body: Buffer.alloc(size, 'x') },
    415,
    /send the body as JSON/,
  ],
  ['an unknown model', { path: '/v2/models/nope/infer', body: padded(size) }, 404, /unknown model/],
  [
    'a write without the token',
    { method: 'PUT', path: '/v2/models/new', body: padded(size) },
    401,
    /needs the admin token/,
  ],
  [
    'a write to a server without a repository',
    {
      method: 'PUT',
      path: '/v2/models/new',
      headers: { authorization: `Bearer ${token}` },
      body: padded(size),
    },
    403,
    /no model repository/,
  ],
];

describe('a refusal before the body was read leaves the connection usable', () => {
  it.each(refusals(short))(
    '%s, with a short body: the rest is read and the connection kept',
    async (_, refused, status, message) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      await send(agent, good);
      const answer = await send(agent, refused);
      expect(answer).toMatchObject({ status, reused: true });
      expect(answer.error).toMatch(message);
      // Chunked bodies have no length to bound what is left: those connections close.
      expect(answer.connection).toBe(refused.chunked ? 'close' : 'keep-alive');
      expect(await send(agent, good)).toMatchObject({ status: 200, reused: !refused.chunked });
      agent.destroy();
    },
  );

  it.each(refusals(long))(
    '%s, with a long body: Connection: close, closed without a reset',
    async (_, refused, status, message) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const answer = await send(agent, refused);
      expect(answer).toMatchObject({ status, connection: 'close' });
      expect(answer.error).toMatch(message);
      expect(await send(agent, good)).toMatchObject({ status: 200, reused: false });
      agent.destroy();
    },
  );

  it('a refused batch that was read whole keeps its connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const batch = json({
      inputs: [{ name: 'input', shape: [5, 2], datatype: 'FP64', data: Array(10).fill(1) }],
    });
    const answer = await send(agent, { path: good.path, body: batch, chunked: true });
    expect(answer).toMatchObject({ status: 400, connection: 'keep-alive' });
    expect(answer.error).toMatch(/a batch of 5 rows is over this server's limit of 4/);
    expect(await send(agent, good)).toMatchObject({ status: 200, reused: true });
    agent.destroy();
  });

  it('a malformed header is answered whole, then the connection ends cleanly', async () => {
    const { hostname, port } = new URL(base());
    const socket = connect(Number(port), hostname);
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    socket.write(
      `POST ${good.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2x\r\n\r\n` + 'x'.repeat(long),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const [head, body] = Buffer.concat(chunks).toString().split('\r\n\r\n', 2) as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 400 .*\r\nConnection: close/s);
    expect(JSON.parse(body)).toEqual({ error: 'the request is not valid HTTP' });
    expect(errors).toEqual([]);
    expect(await send(new Agent({ keepAlive: true }), good)).toMatchObject({ status: 200 });
  });

  it('16 keep-alive clients mixing good and refused requests for 10 s lose no good request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const kinds = [...refusals(short), ...refusals(long)];
    const end = Date.now() + 10_000;
    const failures: string[] = [];
    let [goodAnswered, refusedAnswered] = [0, 0];
    const client = async (c: number) => {
      for (let i = c; Date.now() < end; i++) {
        const refusal = i % 3 === 0 ? kinds[i % kinds.length] : undefined;
        try {
          const answer = await send(agent, refusal?.[1] ?? good);
          if (answer.status !== (refusal?.[2] ?? 200)) failures.push(`status ${answer.status}`);
          else if (refusal) refusedAnswered++;
          else goodAnswered++;
        } catch (error) {
          failures.push(`${refusal ? refusal[0] : 'good'}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, c) => client(c)));
    agent.destroy();
    expect(failures).toEqual([]);
    expect(goodAnswered).toBeGreaterThan(100);
    expect(refusedAnswered).toBeGreaterThan(50);
  }, 60_000);
});
