// The read side of the Open Inference Protocol (health, metadata, infer, statistics) and
// TensorFlow Serving's :predict, over the catalog's models.
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Catalog } from './catalog.js';
import { HttpError } from './errors.js';
import { modelMetadata, outputTensors, predictAnswer } from './inference.js';
import type { Metrics } from './metrics.js';
import type { ServedModel } from './models.js';
import { parseInferRequest, parsePredictRequest } from './requests.js';
import { declare, jsonBody, withVersions } from './routing.js';
import serverPackage from '../package.json' with { type: 'json' };

/** What the inference routes need. */
export interface InferenceContext {
  catalog: Catalog;
  metrics: Metrics;
  bodyLimit: string | number;
  maxBatch: number;
  /** The repository extension is offered (the server has a repository). */
  extensions: string[];
  isReady(): boolean;
  /** The handlers of `PUT /v2/models/{name}` (see `repositoryRoutes`). */
  upload: RequestHandler[];
}

const params = (req: Request) => req.params as { model: string; version?: string };

/** The inference routes, on a router of their own. */
export function inferenceRoutes(context: InferenceContext): Router {
  const { catalog, metrics, maxBatch } = context;
  const router = express.Router();
  /** The model a request names (found once per request). */
  const model = (req: Request): ServedModel => {
    const locals = req.res!.locals as { model?: ServedModel };
    return (locals.model ??= catalog.find(params(req).model, params(req).version));
  };
  const notReady = () => new HttpError(503, 'the server is shutting down');
  /** Finds the model (an unknown one is a 404 whatever the body), then parses the body. */
  const forModel =
    (parse: RequestHandler): RequestHandler =>
    (req, res, next) => {
      model(req);
      parse(req, res, next);
    };
  const jsonForModel = forModel(jsonBody(context.bodyLimit));
  /** The same, for infer: JSON, or JSON and binary tensors after it (see binary-tensors.ts). */
  const inferBodyForModel = forModel(jsonBody(context.bodyLimit, 'the body', { binary: true }));
  /** Every row's outputs, timed for the statistics; a non-finite output is a 422 that names it. */
  const predict = (served: ServedModel, rows: number[][]): number[][] => {
    const start = performance.now();
    return checked(served.predict(rows), served, start);
  };
  const record = (served: ServedModel, rows: number, start: number, succeeded: boolean) =>
    metrics.inference(
      served.name,
      served.version,
      rows,
      Math.round((performance.now() - start) * 1e6),
      succeeded,
    );
  /** The outputs, recorded as a success; or a 422 naming the first non-finite one, recorded as a failure. */
  const checked = (outputs: number[][], served: ServedModel, start: number): number[][] => {
    for (let r = 0; r < outputs.length; r++) {
      const row = outputs[r]!;
      for (let c = 0; c < row.length; c++) {
        if (Number.isFinite(row[c])) continue;
        record(served, outputs.length, start, false);
        throw new HttpError(
          422,
          `model '${served.name}' gave a non-finite value (${row[c]}) in output 'output' at [${r}][${c}]; its weights or this input are out of range`,
        );
      }
    }
    record(served, outputs.length, start, true);
    return outputs;
  };

  declare(router, ['/v2/health/live'], { get: [(_req, res) => void res.json({ live: true })] });
  declare(router, ['/v2/health/ready'], {
    get: [
      (_req, res) => {
        if (!context.isReady()) throw notReady();
        res.json({ ready: true });
      },
    ],
  });
  // The hot routes first: the router tries routes in order.
  declare(router, withVersions('/v2/models/:model', '/infer'), {
    post: [
      inferBodyForModel,
      (req, res) => {
        // No readiness check: a request that got here while draining is in flight, and finishes.
        const served = model(req);
        const binary = res.locals.binary as Buffer | undefined;
        const { id, rows, wanted } = parseInferRequest(req.body, served, maxBatch, binary);
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
  declare(router, withVersions('/v1/models/:model', '\\:predict'), {
    post: [
      jsonForModel,
      (req, res) => {
        const served = model(req);
        const { key, rows } = parsePredictRequest(req.body, served, maxBatch);
        res.json(predictAnswer(served, predict(served, rows), key));
      },
    ],
  });
  declare(router, ['/v2'], {
    get: [
      (_req, res) =>
        void res.json({
          name: 'dendrite',
          version: serverPackage.version,
          extensions: context.extensions,
        }),
    ],
  });
  declare(router, withVersions('/v2/models/:model'), {
    get: [
      (req, res) => void res.json(modelMetadata(model(req), catalog.versions(params(req).model))),
    ],
    put: context.upload,
  });
  declare(router, withVersions('/v2/models/:model', '/ready'), {
    get: [
      (req, res) => {
        const served = model(req);
        if (!context.isReady()) throw notReady();
        res.json({ name: served.name, ready: true });
      },
    ],
  });
  declare(router, withVersions('/v2/models/:model', '/stats'), {
    get: [
      (req, res) => {
        const { model: name, version } = params(req);
        if (version !== undefined) model(req);
        else if (catalog.versions(name).length === 0)
          throw new HttpError(404, `unknown model '${name}'`);
        const versions = version === undefined ? catalog.versions(name) : [version];
        res.json({ model_stats: metrics.modelStats(versions.map((v) => ({ name, version: v }))) });
      },
    ],
  });
  declare(router, withVersions('/v1/models/:model'), {
    get: [
      (req, res) => {
        const served = model(req);
        res.json({
          model_version_status: [
            {
              version: served.version,
              state: context.isReady() ? 'AVAILABLE' : 'UNAVAILABLE',
              status: { error_code: 'OK', error_message: '' },
            },
          ],
        });
      },
    ],
  });
  return router;
}
