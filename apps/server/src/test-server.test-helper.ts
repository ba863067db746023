import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type AppOptions } from './app.js';
import { createHttpServer } from './http-server.js';

/** Starts `createApp(options)` on a free loopback port for the tests in a file; `call` sends requests to it. */
export function testServer(options: () => AppOptions | Promise<AppOptions>) {
  let base = '';
  let close = () => {};
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    app = createApp(await options());
    const server = createHttpServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  return {
    app: () => app,
    /** The server's address, e.g. `http://127.0.0.1:4321`. */
    base: () => base,
    /** Sends a request; a plain object body is sent as JSON. */
    async call(
      method: string,
      path: string,
      { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const isRaw = typeof body === 'string' || body instanceof Uint8Array;
      const response = await fetch(base + path, {
        method,
        headers:
          body !== undefined && !isRaw
            ? { 'content-type': 'application/json', ...headers }
            : headers,
        body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return {
        status: response.status,
        headers: response.headers,
        text,
        json: json as Record<string, unknown>,
      };
    },
  };
}
