/**
 * The server's entry: reads its configuration, loads the model repository (and follows it),
 * listens, and shuts down gracefully on SIGTERM (or SIGINT, except at a terminal, where Ctrl-C
 * stops it at once). Everything else is `createApp`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.js';
import { Catalog } from './catalog.js';
import { createHttpServer, stopListening } from './http-server.js';
import { parseConfig, usage } from './config.js';
import { Metrics } from './metrics.js';
import { lectureModel } from './models.js';
import { defaultAllowedHosts } from './security.js';

let config;
// `pnpm serve -- --port 9000` hands the script a leading `--`; the flags come after it.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
try {
  config = parseConfig(args, process.env);
} catch (error) {
  process.stderr.write(`dendrite-server: ${(error as Error).message}\n\n${usage}\n`);
  process.exit(2);
}
if (config === 'help') {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

// A person at a terminal reads lines; anything else (a file, a log collector) gets JSON.
const logger = process.stdout.isTTY
  ? pino(
      { level: config.logLevel },
      (await import('pino-pretty')).default({ sync: true, translateTime: 'HH:MM:ss' }),
    )
  : pino({ level: config.logLevel });
for (const warning of config.warnings) logger.warn(warning);
const fail = (message: string) => (error: unknown) => {
  logger.fatal({ err: error }, message);
  process.exit(1);
};
process.on('uncaughtException', fail('uncaught exception'));
process.on('unhandledRejection', fail('unhandled rejection'));

// `pnpm serve -- --models ./models` runs in apps/server; paths mean what they meant where the
// user typed them.
const launchedFrom =
  process.env.npm_package_name === '@dendrite/server' ? process.env.INIT_CWD : undefined;
const repository =
  config.modelsDir === undefined ? undefined : resolve(launchedFrom ?? '.', config.modelsDir);
const metrics = new Metrics();
const catalog = new Catalog(
  repository === undefined
    ? { builtIn: new Map([['lecture', lectureModel()]]) }
    : {
        repository,
        events: {
          loaded: (model) => logger.info(model, 'model loaded'),
          failed: (model) => {
            logger.warn(model, 'model not served');
            metrics.loadFailed(model.name);
          },
          scanProblem: (problem) => logger.warn(problem, 'repository entry not served'),
        },
      },
);
await catalog.sync().catch(fail(`cannot read the model repository ${repository}`));
if (repository !== undefined && catalog.names().size === 0) {
  logger.warn({ repository }, 'the model repository is empty: load models into it');
}
setInterval(() => {
  catalog.sync().catch((error: unknown) => logger.error({ err: error }, 'repository scan failed'));
}, config.pollInterval).unref();

// The Playground page, when it has been built (the start script builds it).
const page = fileURLToPath(new URL('../dist/page', import.meta.url));
const app = createApp({
  catalog,
  metrics,
  bodyLimit: config.bodyLimit,
  maxBatch: config.maxBatch,
  uploads: config.uploads,
  allowedHosts: config.allowedHosts ?? defaultAllowedHosts(config.host),
  corsOrigins: config.cors,
  logger,
  ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
  ...(existsSync(page) ? { page } : {}),
});
const server = createHttpServer(app);
server.on('error', fail('cannot listen'));
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ host: config.host, port, repository, models: [...catalog.names()] }, 'listening');
  if (existsSync(page)) logger.info(`the Playground page is at http://${config.host}:${port}/`);
});

const shutdown = (signal: string) => {
  logger.info({ signal }, 'shutting down: draining');
  app.shuttingDown();
  // Keep serving while load balancers catch up with readiness; every response now closes its
  // connection. Then stop listening, without closing idle keep-alive connections (a request may
  // be on its way on one): each closes after its next response, or when its keep-alive ends.
  setTimeout(() => {
    stopListening(server, {
      refusing: () => logger.info('refusing new connections'),
      done: () => {
        logger.info('stopped');
        process.exit(0);
      },
    });
  }, config.drainDelay);
  setTimeout(() => {
    logger.error('in-flight requests did not finish in time; closing them');
    server.closeAllConnections();
    process.exit(1);
  }, config.shutdownTimeout).unref();
};
process.once('SIGTERM', shutdown);
// Ctrl-C at a terminal stops at once; the drain is for an orchestrator's signals.
process.once('SIGINT', () => {
  if (!process.stdin.isTTY) return shutdown('SIGINT');
  logger.info('stopped (Ctrl-C)');
  process.exit(0);
});
