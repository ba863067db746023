import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const lines: string[] = [];
const token = 'a-secret-admin-token-of-32-chars';
const { call } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  adminToken: token,
  logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
}));

describe('the access log', () => {
  it('logs each request with its headers, but never a credential', async () => {
    await call('PUT', '/v2/models/other', {
      body: {},
      headers: { authorization: `Bearer ${token}`, cookie: 'session=also-secret' },
    });
    const logged = lines.map((line) => JSON.parse(line) as { req?: { headers: object } });
    const request = logged.find((l) => l.req !== undefined)!;
    expect(request.req!.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: '[redacted]',
      cookie: '[redacted]',
    });
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain('also-secret');
  });
});
