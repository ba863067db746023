/**
 * The server's entry: reads its configuration, loads the models, listens, and shuts down
 * gracefully on SIGTERM or SIGINT (readiness turns 503 at once, in-flight requests finish, new
 * connections are refused, exit 0). Everything else is `createApp`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.js';
import { parseConfig, usage } from './config.js';
import { lectureModel, loadModelDirectory, type ServedModel } from './models.js';

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

const logger = pino({ level: config.logLevel });
const fail = (message: string) => (error: unknown) => {
  logger.fatal({ err: error }, message);
  process.exit(1);
};
process.on('uncaughtException', fail('uncaught exception'));
process.on('unhandledRejection', fail('unhandled rejection'));

let models: Map<string, ServedModel>;
if (config.modelsDir === undefined) {
  models = new Map([['lecture', lectureModel()]]);
} else {
  const directory = await loadModelDirectory(config.modelsDir).catch(
    fail(`cannot read the models directory ${config.modelsDir}`),
  );
  for (const problem of directory.problems) logger.warn(problem, 'model file not served');
  if (directory.models.size === 0)
    fail(`no valid model files (<name>.json) in ${config.modelsDir}`)(undefined);
  models = directory.models;
}

// The Playground page, when it has been built (the start script builds it).
const page = fileURLToPath(new URL('../dist/page', import.meta.url));
const app = createApp({
  models,
  bodyLimit: config.bodyLimit,
  maxBatch: config.maxBatch,
  uploads: config.uploads,
  logger,
  ...(existsSync(page) ? { page } : {}),
});
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ host: config.host, port, models: [...models.keys()] }, 'listening');
  if (existsSync(page)) logger.info(`the Playground page is at http://${config.host}:${port}/`);
});
server.on('error', fail('cannot listen'));
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.keepAliveTimeout = 5_000;

const shutdown = (signal: string) => {
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  app.shuttingDown();
  // Keep accepting for a moment (load balancers are still catching up with readiness, and requests
  // already sent may not have been read yet: close() ends connections with nothing read), then stop.
  setTimeout(() => {
    server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    logger.info('refusing new connections');
  }, config.drainDelay);
  setTimeout(() => {
    logger.error('in-flight requests did not finish in time; closing them');
    server.closeAllConnections();
    process.exit(1);
  }, config.shutdownTimeout).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
