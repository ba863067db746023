import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { defaultAllowedHosts } from './security.js';
import { testServer } from './test-server.test-helper.js';

const { call, base } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  allowedHosts: defaultAllowedHosts('127.0.0.1'),
  corsOrigins: ['http://page.test'],
}));
const infer = (rows: number) => ({
  inputs: [{ name: 'input', shape: [rows, 2], datatype: 'FP64', data: Array(rows * 2).fill(1) }],
});

/** A GET with a Host header of our choosing (fetch does not let one set it). */
const withHost = (host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { port } = new URL(base());
    request({ host: '127.0.0.1', port, path: '/v2/health/live', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });

describe('metrics', () => {
  it('counts requests by route pattern, model and status, and rows per model, in Prometheus format', async () => {
    await call('POST', '/v2/models/lecture/infer', { body: infer(3) });
    await call('POST', '/v2/models/lecture/infer', { body: infer(1) });
    await call('POST', '/v2/models/nobody/infer', { body: infer(1) });
    await call('POST', '/v2/models/lecture/infer', { body: { instances: [[128, 63]] } });
    const metrics = await call('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain(
      'dendrite_http_requests_total{method="POST",route="/v2/models/:model/infer",model="lecture",status="200"} 2',
    );
    // A refused request counts for the model it named.
    expect(metrics.text).toContain(
      'dendrite_http_requests_total{method="POST",route="/v2/models/:model/infer",model="lecture",status="400"} 1',
    );
    // An unknown name never becomes a label value.
    expect(metrics.text).toContain(
      'dendrite_http_requests_total{method="POST",route="/v2/models/:model/infer",model="",status="404"} 1',
    );
    expect(metrics.text).toContain('dendrite_inference_rows_total{model="lecture",version="1"} 4');
    expect(metrics.text).toContain('dendrite_inferences_total{model="lecture",version="1"} 2');
    expect(metrics.text).toMatch(/dendrite_http_request_duration_seconds_bucket\{le="0.005",/);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
  });

  it('answers the statistics extension per model version', async () => {
    const { json } = await call('GET', '/v2/models/lecture/stats');
    const [stats] = json.model_stats as Record<string, unknown>[];
    expect(stats).toMatchObject({
      name: 'lecture',
      version: '1',
      inference_count: 4,
      execution_count: 2,
      inference_stats: { success: { count: 2 }, fail: { count: 0, ns: 0 } },
      batch_stats: [
        { batch_size: 1, compute_infer: { count: 1 } },
        { batch_size: 3, compute_infer: { count: 1 } },
      ],
    });
    expect(stats!.last_inference).toBeGreaterThan(0);
    expect((await call('GET', '/v2/models/lecture/versions/1/stats')).status).toBe(200);
    expect((await call('GET', '/v2/models/nobody/stats')).status).toBe(404);
  });
});

describe('who may ask', () => {
  it.each([
    ['127.0.0.1:8080', 200],
    ['localhost', 200],
    ['app.localhost:3000', 200],
    ['[::1]:8080', 200],
    ['attacker.example', 403],
    ['127.0.0.1.attacker.example', 403],
  ])('Host %s on a loopback server: %i', async (host, status) => {
    const answer = await withHost(host);
    expect(answer.status).toBe(status);
    if (status === 403)
      expect(JSON.parse(answer.body).error).toMatch(/does not answer to the host name/);
  });

  it('allows CORS for the configured origin only, and sends a CSP that works over plain HTTP', async () => {
    const allowed = await call('GET', '/v2/health/live', {
      headers: { origin: 'http://page.test' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://page.test');
    const other = await call('GET', '/v2/health/live', { headers: { origin: 'http://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call('OPTIONS', '/v2/models/lecture/infer', {
      headers: {
        origin: 'http://page.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT');
    const csp = allowed.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'"); // (the page's batched engine)
  });
});
