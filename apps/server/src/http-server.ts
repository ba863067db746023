// The HTTP server around the app: slow-client timeouts as the README gives them, and Node's own
// answers to requests it cannot parse (an oversized header or URL, an unknown method, a request
// that timed out) as JSON errors like every other answer, instead of empty bodies.
import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { linger } from './connections.js';

/** Slow clients get 10 s for their headers and 30 s for a whole request, checked every second. */
export const timeouts = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 };

/** An HTTP server for the app, with the timeouts above and JSON answers to unparseable requests. */
export function createHttpServer(
  app: RequestListener,
  overrides: Partial<typeof timeouts> = {},
): Server {
  const server = createServer(
    { ...timeouts, ...overrides, connectionsCheckingInterval: 1_000 },
    app,
  );
  server.on('clientError', answerClientError);
  return server;
}

const answers: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large (16 KB at most)'],
  HPE_INVALID_METHOD: [501, 'unknown HTTP method: use GET, POST or PUT'],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'the request took too long to arrive (10 s for headers, 30 s in all)',
  ],
  HPE_HEADERS_TIMEOUT: [408, 'the request headers took too long to arrive (10 s)'],
};

/**
 * Stops listening without resetting a connection. Closing a listening socket resets every
 * connection whose handshake the kernel completed but the server has not accepted yet, so first
 * the backlog shrinks to nothing: the kernel then completes a handshake only when no other one
 * waits, and drops other clients' SYNs (they retry, and are refused). Once the connections queued
 * before have been accepted, the socket closes right after an accept (once libuv, which accepts
 * until the queue is empty, has), when nothing waits, or once none has come for a moment. Idle
 * keep-alive connections stay open (a request may be on its way on one): each closes after its
 * next response, which says `Connection: close`, or when its keep-alive ends. `refusing` runs
 * once the socket is closed, `done` once every connection is.
 */
export function stopListening(
  server: Server,
  { refusing, done }: { refusing: () => void; done: () => void },
): void {
  const handle = (server as unknown as { _handle?: { listen?(backlog: number): number } })._handle;
  let quiet: NodeJS.Timeout | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    server.off('connection', closeSoon);
    clearTimeout(quiet);
    NetServer.prototype.close.call(server, done);
    refusing();
  };
  // After an accept, libuv goes on accepting until the queue is empty: close once it has.
  function closeSoon() {
    setImmediate(close);
  }
  // Node's own handle: listen() again on a listening socket only changes its backlog.
  if (handle?.listen?.(0) !== 0) return close();
  setTimeout(() => {
    server.once('connection', closeSoon);
    quiet = setTimeout(close, 100);
  }, 500);
}

/** A `clientError` handler: a JSON 4xx (or 501) naming the problem, then the connection closes. */
function answerClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Duplex,
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let [status, message] = answers[error.code ?? ''] ?? [400, 'the request is not valid HTTP'];
  // A URL too long overflows the same limit as the headers; its request line has no end yet.
  if (status === 431 && error.rawPacket !== undefined && !error.rawPacket.includes('\r\n')) {
    [status, message] = [414, 'the URL is too long'];
  }
  const body = JSON.stringify({ error: message });
  linger(
    socket,
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
