// How routes are declared, and how every error becomes `{"error": "…"}` with the right status.
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
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

/** The JSON body parser: insists on JSON (415), refuses deep nesting (400) before parsing. */
export function jsonBody(limit: string | number, what = 'the body'): RequestHandler {
  const parse = express.json({
    limit,
    strict: false,
    verify: (_req, _res, raw) => checkNesting(raw),
  });
  return (req, res, next) => {
    if (!req.is('application/json')) {
      throw new HttpError(415, `send ${what} as JSON (Content-Type: application/json)`);
    }
    parse(req, res, next);
  };
}

/** Every error becomes `{"error": "…"}` with the right status; nothing else leaks. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
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
  // body-parser's errors carry a status and a type.
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  const bodyErrors: Record<string, [number, string]> = {
    'entity.parse.failed': [400, 'the body is not valid JSON'],
    'entity.too.large': [413, 'the body is too large (after decompression)'],
    'encoding.unsupported': [415, 'unsupported Content-Encoding: use gzip, deflate or none'],
    'charset.unsupported': [415, 'unsupported charset: use utf-8'],
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
