import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Router,
} from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { HttpError } from './errors.js';
import { loadModel, NeuralNetworkError } from '@dendrite/nn';
import { modelMetadata, outputTensors } from './inference.js';
import { modelName, predictRow, serve, type ServedModel } from './models.js';
import { openApiDocument } from './openapi.js';
import { parseInferRequest, parsePredictRequest } from './requests.js';

/** How to build the app. */
export interface AppOptions {
  /** The models to serve, by name. */
  models: ReadonlyMap<string, ServedModel>;
  /** The largest request body, after decompression (default `'1mb'`). */
  bodyLimit?: string | number;
  /** The most rows one request may ask for (default 1024). */
  maxBatch?: number;
  /** Where request logs go (default: silent). */
  logger?: Logger;
  /**
   * How many models clients may add with `PUT /v2/models/{name}` (a model file as the body), as
   * the Playground page's "send to server" does; 0 turns uploads off (default 16).
   */
  uploads?: number;
  /** A directory of static files (the built Playground page) to serve at `/`. */
  page?: string;
}

/** What the app exposes besides handling requests. */
export interface AppControls {
  /** Turns readiness off (503) while the server drains on shutdown. */
  shuttingDown(): void;
}

/**
 * The prediction server as an express app: the Open Inference Protocol (KServe V2) REST API and
 * TensorFlow Serving's `:predict`, over the given models. It does not listen and reads no
 * environment; every error is a JSON `{"error": "…"}` without a stack trace.
 */
export function createApp(options: AppOptions): express.Express & AppControls {
  const {
    bodyLimit = '1mb',
    maxBatch = 1024,
    logger = pino({ level: 'silent' }),
    uploads = 16,
  } = options;
  const models = new Map(options.models);
  const uploaded = new Set<string>();
  let ready = true;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(helmet());
  // While draining, every response closes its connection, so the server can finish closing.
  app.use((_req, res, next) => {
    if (!ready) res.set('Connection', 'close');
    next();
  });
  app.use(
    pinoHttp({
      logger,
      customLogLevel: (_, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );

  const parseJson = express.json({ limit: bodyLimit, strict: false });
  const model = (req: Request): ServedModel => {
    const { model: name, version } = req.params as { model: string; version?: string };
    const found = models.get(name);
    if (found === undefined) throw new HttpError(404, `unknown model '${name}'`);
    if (version !== undefined && version !== found.version) {
      throw new HttpError(
        404,
        `unknown version '${version}' of model '${name}' (it has version ${found.version})`,
      );
    }
    return found;
  };
  const notReady = () => new HttpError(503, 'the server is shutting down');
  /** Finds the model (an unknown one is a 404 whatever the body), insists on JSON (415), parses it. */
  const jsonForModel: RequestHandler = (req, res, next) => {
    model(req);
    if (!req.is('application/json')) {
      throw new HttpError(415, 'send the body as JSON (Content-Type: application/json)');
    }
    parseJson(req, res, next);
  };
  const predict = (served: ServedModel, rows: number[][]): number[][] =>
    rows.map((row, r) => {
      const output = predictRow(served, row);
      const bad = output.find((x) => !Number.isFinite(x));
      if (bad !== undefined) {
        throw new HttpError(
          500,
          `model '${served.name}' gave a non-finite output (${bad}) for row ${r}; its weights or this input are out of range`,
        );
      }
      return output;
    });

  const router: Router = express.Router();
  /** A route with its handlers; any other method gets a 405 that lists the allowed ones. */
  const route = (
    paths: string[],
    handlers: Partial<Record<'get' | 'post' | 'put', RequestHandler[]>>,
  ) => {
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
  };
  const withVersions = (path: string, suffix = '') => [
    `${path}${suffix}`,
    `${path}/versions/:version${suffix}`,
  ];

  route(['/v2/health/live'], { get: [(_req, res) => void res.json({ live: true })] });
  route(['/v2/health/ready'], {
    get: [
      (_req, res) => {
        if (!ready) throw notReady();
        res.json({ ready: true });
      },
    ],
  });
  route(['/v2'], {
    get: [(_req, res) => void res.json({ name: 'dendrite', version: '0.0.0', extensions: [] })],
  });
  route(withVersions('/v2/models/:model'), {
    get: [(req, res) => void res.json(modelMetadata(model(req)))],
    // Adds (or replaces an uploaded) model from a dendrite model file, e.g. from the page.
    put: [
      (req, res, next) => {
        const { model: name } = req.params as { model: string; version?: string };
        if ((req.params as { version?: string }).version !== undefined) {
          throw new HttpError(405, 'PUT a model without a version: /v2/models/{name}');
        }
        if (uploads === 0) throw new HttpError(403, 'this server does not accept models');
        if (!modelName.test(name)) {
          throw new HttpError(
            400,
            `a model name is letters, digits, '.', '_' and '-', got '${name.slice(0, 200)}'`,
          );
        }
        if (models.has(name) && !uploaded.has(name)) {
          throw new HttpError(
            409,
            `model '${name}' is served from the server's own models; pick another name`,
          );
        }
        if (!models.has(name) && uploaded.size >= uploads) {
          throw new HttpError(409, `this server takes at most ${uploads} uploaded models`);
        }
        if (!req.is('application/json')) {
          throw new HttpError(415, 'send the model file as JSON (Content-Type: application/json)');
        }
        parseJson(req, res, next);
      },
      (req, res) => {
        const { model: name } = req.params as { model: string };
        let loaded;
        try {
          loaded = loadModel(req.body as unknown);
        } catch (error) {
          if (error instanceof NeuralNetworkError) throw new HttpError(400, error.message);
          throw error;
        }
        const served = serve(name, loaded);
        const created = !models.has(name);
        models.set(name, served);
        uploaded.add(name);
        res.status(created ? 201 : 200).json(modelMetadata(served));
      },
    ],
  });
  route(withVersions('/v2/models/:model', '/ready'), {
    get: [
      (req, res) => {
        const served = model(req);
        if (!ready) throw notReady();
        res.json({ name: served.name, ready: true });
      },
    ],
  });
  route(withVersions('/v2/models/:model', '/infer'), {
    post: [
      jsonForModel,
      (req, res) => {
        // No readiness check: a request that got here while draining is in flight, and finishes.
        const served = model(req);
        const { id, rows, wanted } = parseInferRequest(req.body, served, maxBatch);
        const outputs = predict(served, rows);
        res.json({
          model_name: served.name,
          model_version: served.version,
          ...(id === undefined ? {} : { id }),
          outputs: outputTensors(served, outputs, wanted),
        });
      },
    ],
  });
  route(withVersions('/v1/models/:model', '\\:predict'), {
    post: [
      jsonForModel,
      (req, res) => {
        const served = model(req);
        const { key, rows } = parsePredictRequest(req.body, served, maxBatch);
        res.json({ [key === 'instances' ? 'predictions' : 'outputs']: predict(served, rows) });
      },
    ],
  });
  route(withVersions('/v1/models/:model'), {
    get: [
      (req, res) => {
        const served = model(req);
        res.json({
          model_version_status: [
            {
              version: served.version,
              state: ready ? 'AVAILABLE' : 'UNAVAILABLE',
              status: { error_code: 'OK', error_message: '' },
            },
          ],
        });
      },
    ],
  });
  route(['/openapi.json'], { get: [(_req, res) => void res.json(openApiDocument)] });

  app.use(router);
  if (options.page !== undefined) app.use(express.static(options.page, { index: 'index.html' }));
  app.use((req) => {
    throw new HttpError(404, `no such route: ${req.method} ${req.path.slice(0, 200)}`);
  });
  app.use(errorHandler);
  return Object.assign(app, { shuttingDown: () => void (ready = false) });
}

/** Every error becomes `{"error": "…"}` with the right status; nothing else leaks. */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const { status, message, headers } = describeError(error);
  if (status >= 500) req.log?.error({ err: error }, message);
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
