// How routes are declared, and how every error becomes `{"error": "…"}` with the right status.
import { createGunzip, createInflate } from 'node:zlib';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Router } from 'express';
import bytes from 'bytes';
import getRawBody from 'raw-body';
import { headerLengthHeader, jsonPartLength } from './binary-tensors.js';
import { settleUnreadBody } from './connections.js';
import { HttpError } from './errors.js';
import { checkNesting } from './requests.js';

type Handlers = Partial<Record<'get' | 'post' | 'put', RequestHandler[]>>;

/** Declares routes on a router; any other method gets a 405 that lists the allowed ones. */
export function declare(router: Router, paths: readonly string[], handlers: Handlers): void {
  const allow = Object.keys(handlers)
    .map((m) => m.toUpperCase())
    .join(', ');
  for (const path of paths) {
    const r = router.route(path);
    if (handlers.get) r.get(...handlers.get);
    if (handlers.post) r.post(...handlers.post);
    if (handlers.put) r.put(...handlers.put);
    r.all(() => {
      throw new HttpError(405, `use ${allow} for ${path.replaceAll('\\', '')}`, { Allow: allow });
    });
  }
}

/** A path and the same path under `/versions/:version`. */
export const withVersions = (path: string, suffix = '') => [
  `${path}${suffix}`,
  `${path}/versions/:version${suffix}`,
];

const json = /^application\/json\s*(?:;|$)/i;
const octets = /^application\/octet-stream\s*(?:;|$)/i;
const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * The JSON body parser: insists on JSON (415) in UTF-8, inflates gzip and deflate, stops at
 * `limit` after inflating (413), and refuses deep nesting (400) right after parsing. It reads the
 * body with raw-body, as body-parser does, without body-parser's layers of options (a third of
 * an inference's own cost); a small body that came in with its headers is taken straight from the
 * request's buffer.
 */
export function jsonBody(
  limit: string | number,
  what = 'the body',
  { binary = false }: { binary?: boolean } = {},
): RequestHandler {
  const largest = bytes.parse(limit) ?? Infinity;
  return (req, _res, next) => {
    const type = req.headers['content-type'] ?? '';
    const withBinary = req.headers[headerLengthHeader] !== undefined;
    if (withBinary && !binary) {
      throw new HttpError(400, `this route takes ${what} as JSON only, with no binary part`);
    }
    if (!json.test(type) && !(withBinary && (type === '' || octets.test(type)))) {
      throw new HttpError(415, `send ${what} as JSON (Content-Type: application/json)`);
    }
    const declared = charset.exec(type)?.[1]?.toLowerCase();
    if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8') {
      throw new HttpError(415, 'unsupported charset: use utf-8');
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'identity') {
      const length = req.headers['content-length'];
      // Once the handlers have run, the parser has pushed what it already has of the body: when
      // that is all of it, there is nothing left to wait for and no stream events to go through.
      return process.nextTick(() => {
        if (
          length !== undefined &&
          req.readableLength === Number(length) &&
          Number(length) <= largest
        ) {
          return parsed(req, (req.read() as Buffer | null) ?? Buffer.alloc(0), next);
        }
        const options = { limit: largest, ...(length === undefined ? {} : { length }) };
        getRawBody(req, options, whenRead(req, next, encoding, largest));
      });
    }
    if (encoding !== 'gzip' && encoding !== 'deflate') {
      throw new HttpError(415, 'unsupported Content-Encoding: use gzip, deflate or none');
    }
    const inflate = encoding === 'gzip' ? createGunzip() : createInflate();
    // What is left of the body is dropped by the server once the error has been answered.
    inflate.on('error', () => req.unpipe(inflate));
    getRawBody(req.pipe(inflate), { limit: largest }, whenRead(req, next, encoding, largest));
  };
}

/** What to do once raw-body has read a body: parse it, or pass on why it could not be read. */
function whenRead(req: Request, next: NextFunction, encoding: string, largest: number) {
  return (error: Error | null, raw: Buffer) =>
    error ? next(bodyError(error, encoding, largest)) : parsed(req, raw, next);
}

/** A body that could not be read, as the 4xx that says why: which limit, or which encoding. */
function bodyError(error: Error, encoding: string, largest: number): unknown {
  const { type, code, length } = error as NodeJS.ErrnoException & {
    type?: string;
    length?: number | null;
  };
  if (type === 'entity.too.large') {
    const limit = `this server's limit of ${bytes.format(largest)}`;
    if (encoding !== 'identity') {
      return new HttpError(413, `the body is over ${limit} once decompressed (${encoding})`);
    }
    return new HttpError(
      413,
      typeof length === 'number'
        ? `the body (${length} bytes) is over ${limit}`
        : `the body is over ${limit}`,
    );
  }
  if (code?.startsWith('Z_')) return new HttpError(400, `the body is not valid ${encoding}`);
  return error;
}

/**
 * Sets `req.body` to the JSON in `raw` (its first Inference-Header-Content-Length bytes, the rest
 * then in `res.locals.binary`); or passes on a 400 if it is not JSON or nests too deep.
 */
function parsed(req: Request, raw: Buffer, next: NextFunction): void {
  try {
    const length = jsonPartLength(req.headers[headerLengthHeader], raw.length);
    if (length !== undefined) req.res!.locals.binary = raw.subarray(length);
    const text = raw.toString('utf8', 0, length ?? raw.length);
    req.body = text === '' ? {} : (JSON.parse(text) as unknown);
    checkNesting(req.body);
  } catch (error) {
    return next(
      error instanceof HttpError ? error : new HttpError(400, 'the body is not valid JSON'),
    );
  }
  next();
}

/** Every error becomes `{"error": "…"}` with the right status; nothing else leaks. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  settleUnreadBody(req, res);
  const { status, message, headers } = describeError(error);
  if (status >= 500 && status !== 503) req.log?.error({ err: error }, message);
  res.status(status).set(headers).json({ error: message });
};

function describeError(error: unknown): {
  status: number;
  message: string;
  headers: Record<string, string>;
} {
  if (error instanceof HttpError)
    return { status: error.status, message: error.message, headers: error.headers };
  // raw-body's errors carry a status and a type.
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  const bodyErrors: Record<string, [number, string]> = {
    'request.aborted': [400, 'the request was aborted'],
    'request.size.invalid': [400, 'the body is shorter or longer than its Content-Length'],
  };
  const known = type === undefined ? undefined : bodyErrors[type];
  if (known !== undefined) return { status: known[0], message: known[1], headers: {} };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, message: 'the request could not be read', headers: {} };
  }
  return { status: 500, message: 'internal error', headers: {} };
}
