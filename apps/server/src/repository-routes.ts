// The Open Inference Protocol's model-repository extension (index, load, unload), and
// `PUT /v2/models/{name}`, its shorthand for a load with a model file. Writes need the admin token.
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Catalog, VersionState } from './catalog.js';
import { HttpError } from './errors.js';
import { modelMetadata } from './inference.js';
import { modelName } from '@dendrite/nn/repository';
import { declare, jsonBody } from './routing.js';

/** What the repository routes need. */
export interface RepositoryContext {
  catalog: Catalog;
  bodyLimit: string | number;
  /** How many new models clients may add beyond those the repository held at startup. */
  uploads: number;
  /** Lets only the admin through (see `requireAdmin`). */
  admin: RequestHandler;
}

/** A load request's body: nothing (load from the repository), or a model file to add. */
interface LoadBody {
  parameters?: Record<string, unknown>;
}

const nameOf = (req: Request) => {
  const { model: name } = req.params as { model: string };
  if (!modelName.test(name)) {
    throw new HttpError(
      400,
      `a model name is letters, digits, '.', '_' and '-', got '${name.slice(0, 200)}'`,
    );
  }
  return name;
};

/** The model file in a load request: `parameters.model` (the file itself), or Triton's `file:…/model.json` (base64). */
function modelFileIn(body: LoadBody): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'a load request is a JSON object, e.g. {} or {"parameters": {"model": {…}}}',
    );
  }
  const parameters = body.parameters ?? {};
  if ('model' in parameters) return parameters.model;
  const file = Object.keys(parameters).find(
    (key) => key.startsWith('file:') && key.endsWith('model.json'),
  );
  if (file === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(String(parameters[file]), 'base64').toString('utf8'));
  } catch {
    throw new HttpError(
      400,
      `parameters["${file.slice(0, 100)}"] is not a base64-encoded JSON model file`,
    );
  }
}

/** The repository routes, on a router of their own, and the handlers of the PUT shorthand. */
export function repositoryRoutes(context: RepositoryContext): {
  router: Router;
  upload: RequestHandler[];
} {
  const { catalog, admin, uploads } = context;
  const router = express.Router();
  const parse = jsonBody(context.bodyLimit, 'the model file');
  const startingNames = catalog.names();
  const adding = new Set<string>();
  const writable: RequestHandler = (_req, _res, next) => {
    if (!catalog.writable) {
      throw new HttpError(
        403,
        'this server has no model repository, so it takes no models: start it with --models DIR',
      );
    }
    next();
  };
  const guard = [admin, writable];
  /** Parses a JSON body when there is one (a load or index request may have none). */
  const optionalBody: RequestHandler = (req, res, next) => {
    const { 'content-length': length, 'transfer-encoding': chunked } = req.headers;
    if ((length === undefined || length === '0') && chunked === undefined) return next();
    parse(req, res, next);
  };

  /** Loads a model file and writes it as the model's next version; refuses a new name past the limit. */
  const add = async (
    name: string,
    file: unknown,
  ): Promise<{ state: VersionState; created: boolean }> => {
    const names = catalog.names();
    const created = !names.has(name);
    if (created && !adding.has(name)) {
      const added = new Set([...names, ...adding].filter((n) => !startingNames.has(n)));
      if (added.size >= uploads) {
        throw new HttpError(409, `this server takes at most ${uploads} new models from clients`);
      }
    }
    adding.add(name);
    try {
      return { state: await catalog.add(name, `${JSON.stringify(file, null, 2)}\n`), created };
    } finally {
      adding.delete(name);
    }
  };

  declare(router, ['/v2/repository/index'], {
    post: [
      optionalBody,
      async (req, res) => {
        await catalog.sync();
        const { ready } = (req.body ?? {}) as { ready?: unknown };
        const index = catalog.index();
        res.json(ready === true ? index.filter((m) => m.state === 'READY') : index);
      },
    ],
  });
  declare(router, ['/v2/repository/models/:model/load'], {
    post: [
      ...guard,
      optionalBody,
      async (req, res) => {
        const name = nameOf(req);
        const file = modelFileIn((req.body ?? {}) as LoadBody);
        if (file !== undefined) {
          const { state } = await add(name, file);
          res.json(state);
          return;
        }
        if (!(await catalog.reload(name)))
          throw new HttpError(404, `no model '${name}' in the repository`);
        const versions = catalog.versions(name);
        const states = catalog
          .index()
          .filter((m) => m.name === name && versions.includes(m.version));
        const failed = states.find((m) => m.state === 'UNAVAILABLE');
        if (failed !== undefined) {
          throw new HttpError(
            400,
            `model '${name}' version ${failed.version} did not load: ${failed.reason}`,
          );
        }
        res.json(states.at(-1));
      },
    ],
  });
  declare(router, ['/v2/repository/models/:model/unload'], {
    post: [
      ...guard,
      async (req, res) => {
        const name = nameOf(req);
        if (!catalog.has(name)) throw new HttpError(404, `unknown model '${name}'`);
        await catalog.unload(name);
        res.json({ name, state: 'UNAVAILABLE', reason: 'unloaded' });
      },
    ],
  });
  /** `PUT /v2/models/{name}`: a load with the model file as the whole body; 201 when the name is new. */
  const upload: RequestHandler[] = [
    (req, _res, next) => {
      if ((req.params as { version?: string }).version !== undefined) {
        throw new HttpError(405, 'PUT a model without a version: /v2/models/{name}');
      }
      next();
    },
    ...guard,
    (req, _res, next) => (nameOf(req), next()),
    parse,
    async (req, res) => {
      const name = nameOf(req);
      const { state, created } = await add(name, req.body);
      const served = catalog.find(name, state.version);
      res.status(created ? 201 : 200).json(modelMetadata(served, catalog.versions(name)));
    },
  ];
  return { router, upload };
}
