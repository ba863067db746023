// A connection stays usable after a refusal sent before its request's body was read (too large,
// the wrong type, an unknown model), and closes without losing the answer when it must. Every
// refusal goes through the error handler, which calls `settleUnreadBody`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The longest body the server reads and drops after answering before it was read, to keep the
 * connection: a body declared this long or shorter. A longer one, or one of unknown length
 * (chunked), is answered with `Connection: close` instead.
 */
export const drainLimit = 1024 * 1024;

/** How long a connection that is closing still reads, and drops, what its client sends. */
const lingerTime = 2_000;

/**
 * Before an answer to a request whose body has not all arrived (a refusal: too large, the wrong
 * type, an unknown model), makes sure the connection is not left saying keep-alive while reading
 * no more (the client's next request on it would wait, then fail): a short rest of the body is
 * read and dropped after the answer, keeping the connection; a long one gets `Connection: close`,
 * and the connection lingers before it closes.
 */
export function settleUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  const { 'content-length': length, 'transfer-encoding': chunked } = req.headers;
  if (req.complete || (chunked === undefined && (length === undefined || length === '0'))) return;
  if (!(Number(length) <= drainLimit)) {
    res.setHeader('Connection', 'close');
    lingerWhenClosing(req.socket);
  }
  // A body parser that stopped at an error leaves the request paused, which stops the socket.
  res.once('finish', () => dropRest(req));
}

function dropRest(req: IncomingMessage): void {
  req.unpipe();
  req.removeAllListeners('data');
  req.resume();
}

/**
 * Node closes a connection whose answer said `Connection: close` as soon as the answer is written;
 * if the client is still sending, unread bytes make the kernel reset the connection, which can
 * discard the answer before the client reads it. Here it lingers instead.
 */
function lingerWhenClosing(socket: Socket): void {
  (socket as Socket & { destroySoon(): void }).destroySoon = () => linger(socket);
}

/**
 * Ends a connection (after `lastWords`, if any) without a reset: ends its side, then reads and
 * drops what still comes until the client closes, or for `lingerTime` at most.
 */
export function linger(socket: Duplex, lastWords?: string): void {
  socket.end(lastWords);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), lingerTime);
  socket.once('close', () => clearTimeout(timer));
}
