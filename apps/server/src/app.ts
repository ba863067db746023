import express from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Catalog } from './catalog.js';
import { HttpError } from './errors.js';
import { inferenceRoutes } from './inference-routes.js';
import { Metrics } from './metrics.js';
import type { ServedModel } from './models.js';
import { openApiDocument } from './openapi.js';
import { repositoryRoutes } from './repository-routes.js';
import { declare, errorHandler } from './routing.js';
import { allowHosts, allowOrigins, requireAdmin } from './security.js';

/** How to build the app. */
export interface AppOptions {
  /** The models, kept in step with a model repository (see `Catalog`). */
  catalog?: Catalog;
  /** Where the metrics go (default: a registry of the app's own). */
  metrics?: Metrics;
  /** Or a fixed set of models to serve, by name (and no writes). */
  models?: ReadonlyMap<string, ServedModel>;
  /** The largest request body, after decompression (default `'1mb'`). */
  bodyLimit?: string | number;
  /** The most rows one request may ask for (default 1024). */
  maxBatch?: number;
  /** Where request logs go (default: silent). */
  logger?: Logger;
  /** How many new models clients may add to the repository (default 16; 0: none). */
  uploads?: number;
  /** The bearer token the write endpoints need; without it they are off. */
  adminToken?: string;
  /** The host names the server answers to (default `['*']`, any; see `defaultAllowedHosts`). */
  allowedHosts?: readonly string[];
  /** Origins whose pages may call the API (CORS; default none). */
  corsOrigins?: readonly string[];
  /** A directory of static files (the built Playground page) to serve at `/`. */
  page?: string;
}

/** What the app exposes besides handling requests. */
export interface AppControls {
  /** Turns readiness off (503) and closes each connection after its response, to drain. */
  shuttingDown(): void;
  readonly catalog: Catalog;
  readonly metrics: Metrics;
}

/** Headers that carry credentials (the admin token among them), never written to the log. */
const credentials = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** A request as the access log shows it: every header but those that carry credentials. */
function withoutCredentials(req: { headers: Record<string, unknown> }) {
  const headers: Record<string, unknown> = {};
  for (const name in req.headers) {
    headers[name] = credentials.has(name) ? '[redacted]' : req.headers[name];
  }
  return { ...req, headers };
}

/**
 * The prediction server as an express app: the Open Inference Protocol (KServe V2) REST API with
 * its model-repository and statistics extensions, TensorFlow Serving's `:predict`, and Prometheus
 * metrics. It does not listen and reads no environment; every error is a JSON `{"error": "…"}`.
 */
export function createApp(options: AppOptions): express.Express & AppControls {
  const { bodyLimit = '1mb', maxBatch = 1024, logger = pino({ level: 'silent' }) } = options;
  const catalog = options.catalog ?? new Catalog({ builtIn: options.models ?? new Map() });
  const metrics = options.metrics ?? new Metrics();
  let ready = true;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(allowHosts(options.allowedHosts ?? ['*']));
  // The page is served over plain HTTP under any host name: no upgrade-insecure-requests, and no
  // Cross-Origin-Opener-Policy (browsers ignore it there, with a console error). Its worker may
  // compile WebAssembly (the batched engine's loops), which runs no code from outside the page.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'upgrade-insecure-requests': null,
          'script-src': ["'self'", "'wasm-unsafe-eval'"],
        },
      },
      crossOriginOpenerPolicy: false,
    }),
  );
  app.use(allowOrigins(options.corsOrigins ?? []));
  // While draining, every response closes its connection, so no request is ever sent on a
  // connection the server is about to close.
  app.use((_req, res, next) => {
    if (!ready) res.set('Connection', 'close');
    next();
  });
  app.use(
    pinoHttp({
      logger,
      customLogLevel: (_, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: { req: withoutCredentials },
    }),
  );
  app.use(metrics.middleware((name) => catalog.has(name)));

  const { router: repository, upload } = repositoryRoutes({
    catalog,
    bodyLimit,
    uploads: options.uploads ?? 16,
    admin: requireAdmin(options.adminToken),
  });
  app.use(
    inferenceRoutes({
      catalog,
      metrics,
      bodyLimit,
      maxBatch,
      extensions: ['model_repository', 'statistics'],
      isReady: () => ready,
      upload,
    }),
  );
  app.use(repository);
  const operations = express.Router();
  declare(operations, ['/openapi.json'], { get: [(_req, res) => void res.json(openApiDocument)] });
  declare(operations, ['/metrics'], {
    get: [
      async (_req, res) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    ],
  });
  app.use(operations);
  if (options.page !== undefined) app.use(express.static(options.page, { index: 'index.html' }));
  app.use((req) => {
    throw new HttpError(404, `no such route: ${req.method} ${req.path.slice(0, 200)}`);
  });
  app.use(errorHandler);
  return Object.assign(app, { shuttingDown: () => void (ready = false), catalog, metrics });
}
