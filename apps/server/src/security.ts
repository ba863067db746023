// Who may ask what: the Host allow-list that stops DNS rebinding, the bearer token that guards
// the write endpoints, and CORS for pages served elsewhere.
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

const loopbackNames = ['localhost', '127.0.0.1', '::1'];

/** Whether an address or host name is this machine's loopback. */
export const isLoopback = (host: string) =>
  loopbackNames.includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');

/**
 * The host names a server answers to by default: when bound to loopback, the loopback names and
 * the bound address (a page on another name, e.g. after DNS rebinding, gets 403); bound to any
 * other address, any name (`'*'`), since its clients reach it under names it cannot know.
 */
export function defaultAllowedHosts(boundHost: string): string[] {
  return isLoopback(boundHost) ? [...new Set([...loopbackNames, boundHost])] : ['*'];
}

/** The Host header's name, without its port or an IPv6 address's brackets, in lower case. */
function hostName(header: string): string {
  const host = header.toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.replace(/:\d*$/, '');
}

/** Refuses (403) a request whose Host is not allowed: `'*'` allows any, `.example.com` a domain. */
export function allowHosts(allowed: readonly string[]): RequestHandler {
  if (allowed.includes('*')) return (_req, _res, next) => next();
  const names = allowed.map((a) => a.toLowerCase());
  const matches = (name: string) =>
    names.some((a) => a === name || (a.startsWith('.') && name.endsWith(a)));
  return (req, _res, next) => {
    const name = hostName(req.headers.host ?? '');
    if (name === '' || !(matches(name) || (name.endsWith('.localhost') && matches('localhost')))) {
      throw new HttpError(
        403,
        `this server does not answer to the host name '${name.slice(0, 100)}' (allowed: ${names.join(', ')}; see --allowed-hosts)`,
      );
    }
    next();
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Lets a request through only with `Authorization: Bearer <token>` (compared in constant time);
 * without a configured token, the guarded endpoints are off (403).
 */
export function requireAdmin(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, _res, next) => {
    if (expected === undefined) {
      throw new HttpError(
        403,
        'model writes are off: start the server with --admin-token (or DENDRITE_ADMIN_TOKEN) to allow them',
      );
    }
    const [scheme, given] = (req.headers.authorization ?? '').split(' ', 2);
    if (scheme?.toLowerCase() !== 'bearer' || given === undefined) {
      throw new HttpError(401, 'this needs the admin token: Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, 'the admin token is wrong', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    next();
  };
}

/** CORS for the given origins (`'*'` for any); none by default, so other sites' pages get no answers. */
export function allowOrigins(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
    maxAge: 600,
  });
}
