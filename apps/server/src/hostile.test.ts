import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const { call, base } = testServer(() => ({ models: new Map([['lecture', lectureModel()]]) }));
const infer = (data: unknown, extra: Record<string, unknown> = {}) => ({
  inputs: [{ name: 'input', shape: [2, 2], datatype: 'FP64', data }],
  ...extra,
});

/** Sends raw bytes on a new connection and returns the whole answer. */
async function raw(
  request: string | Buffer,
): Promise<{ status: number; headers: string; body: unknown }> {
  const { hostname, port } = new URL(base());
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {}); // the server may close while we still write
  socket.write(request);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  const [head, body] = text.split('\r\n\r\n', 2) as [string, string];
  return { status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(body) };
}

describe('hostile requests get a JSON 4xx, and the server keeps serving', () => {
  it.each([
    [
      'data',
      (deep: string) =>
        `{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":${deep}}]}`,
    ],
    [
      'shape',
      (deep: string) =>
        `{"inputs":[{"name":"input","shape":${deep},"datatype":"FP64","data":[1,2]}]}`,
    ],
    ['parameters', (deep: string) => `{"parameters":{"a":${deep}},"inputs":[]}`],
    ['id', (deep: string) => `{"id":${deep},"inputs":[]}`],
  ])(
    'refuses an object nested 100,000 deep in %s with a 400, without a stack overflow',
    async (_, body) => {
      const depth = 100_000;
      for (const deep of [
        '['.repeat(depth) + ']'.repeat(depth),
        '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      ]) {
        const response = await call('POST', '/v2/models/lecture/infer', {
          body: body(deep),
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status).toBe(400);
        expect(response.json.error).toBe('the body nests lists or objects more than 32 deep');
      }
      const instances = `{"instances":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const predicted = await call('POST', '/v1/models/lecture:predict', {
        body: instances,
        headers: { 'content-type': 'application/json' },
      });
      expect(predicted.status).toBe(400);
      // Brackets inside strings are not nesting.
      const inString = await call('POST', '/v2/models/lecture/infer', {
        body: infer([1, 2, 3, 4], { id: '['.repeat(50) + '\\"{' }),
      });
      expect(inString.status).toBe(200);
    },
  );

  it.each([
    [
      'a 32 KB header',
      `GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
      431,
      /headers are too large/,
    ],
    [
      'a 100 KB URL',
      `GET /v2/models/${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      414,
      /URL is too long/,
    ],
    [
      'an unknown method',
      'BREW /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n',
      501,
      /unknown HTTP method/,
    ],
    ['a malformed header', 'GET / HTTP/1.1\r\nHost x\r\n\r\n', 400, /not valid HTTP/],
  ])('answers %s with a JSON error', async (_, request, status, message) => {
    const answer = await raw(request);
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatch(/content-type: application\/json/i);
    expect((answer.body as { error: string }).error).toMatch(message);
    expect((await call('GET', '/v2/health/live')).status).toBe(200);
  });
});
