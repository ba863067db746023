import { parseArgs } from 'node:util';
import { z } from 'zod';

/** The server's settings, from flags first, then environment variables, then defaults. */
export interface Config {
  port: number;
  host: string;
  /** The model repository (`<name>/<version>/model.json`); without it the built-in `lecture` model is served. */
  modelsDir?: string;
  /** Milliseconds between scans of the repository, which is how replicas see each other's writes. */
  pollInterval: number;
  /** The bearer token that model writes (load, unload, PUT) need; without it they are off. */
  adminToken?: string;
  /** Host names the server answers to (`*`: any); by default, see `defaultAllowedHosts`. */
  allowedHosts?: string[];
  /** Origins whose pages may call the API (CORS); none by default. */
  cors: string[];
  bodyLimit: string;
  maxBatch: number;
  /** How many new models clients may add to the repository; 0 turns that off. */
  uploads: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Milliseconds to keep accepting connections after SIGTERM, while readiness is already 503. */
  drainDelay: number;
  /** Milliseconds to let in-flight requests finish after SIGTERM. */
  shutdownTimeout: number;
  /** What the operator should hear about these settings (a secret given as a flag, say). */
  warnings: string[];
}

export const usage = `Usage: dendrite-server [options]

Serves dendrite models over HTTP (Open Inference Protocol and TensorFlow Serving :predict),
and the Playground page at / when it is built (pnpm --filter @dendrite/server build).

Options (each also read from the environment variable in brackets):
  --port <n>              port to listen on (PORT; default 8080; 0 picks a free one)
  --host <address>        address to listen on (HOST; default 127.0.0.1)
  --models <dir>          serve the model repository <dir>: <name>/<version>/model.json, or
                          <name>.json as version 1 (DENDRITE_MODELS); without it, the built-in
                          "lecture" model is served and model writes are off
  --poll-interval <ms>    scan the repository this often, to follow other replicas' writes
                          (DENDRITE_POLL_INTERVAL; default 2000)
  --admin-token <token>   the bearer token that model writes need (load, unload, PUT)
                          (DENDRITE_ADMIN_TOKEN, the better place: a flag shows in ps, in
                          shell history and in pnpm's echo of its command; without it,
                          writes are off)
  --allowed-hosts <list>  comma-separated host names to answer to, '*' for any, '.example.com'
                          for a domain (DENDRITE_ALLOWED_HOSTS; default: the loopback names when
                          bound to loopback, any otherwise)
  --cors <origins>        comma-separated origins whose pages may call the API, '*' for any
                          (DENDRITE_CORS; default none)
  --body-limit <size>     largest request body after decompression (DENDRITE_BODY_LIMIT; default 1mb)
  --max-batch <n>         most rows per request (DENDRITE_MAX_BATCH; default 1024)
  --uploads <n>           how many new models clients may add to the repository, counted from
                          what it held at startup (DENDRITE_UPLOADS; default 16; 0: none)
  --log-level <level>     fatal, error, warn, info, debug, trace or silent (LOG_LEVEL; default info)
  --drain-delay <ms>      after SIGTERM, keep serving this long while readiness is already 503,
                          so a load balancer stops sending (DENDRITE_DRAIN_DELAY; default 5000)
  --shutdown-timeout <ms> after SIGTERM, exit 1 if requests are still in flight this long
                          (DENDRITE_SHUTDOWN_TIMEOUT; default 20000)
  --help                  show this help

Examples:
  pnpm serve -- --port 8080 --models ./models
  DENDRITE_ADMIN_TOKEN=$(cat token) pnpm serve -- --models ./models --host 0.0.0.0`;

const whole = (min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min)
    .max(max);
const list = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);
const schema = z.strictObject({
  port: whole(0, 65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  modelsDir: z.string().min(1).optional(),
  pollInterval: whole(100, 3_600_000).default(2000),
  adminToken: z.string().min(16, 'use a token of at least 16 characters').optional(),
  allowedHosts: list.optional(),
  cors: list.default([]),
  bodyLimit: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'a size such as 100kb or 1mb')
    .default('1mb'),
  maxBatch: whole(1, 1_000_000).default(1024),
  uploads: whole(0, 10_000).default(16),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  drainDelay: whole(0, 600_000).default(5000),
  shutdownTimeout: whole(0, 600_000).default(20_000),
});

/** Each setting's flag and environment variable. */
export const settings = {
  port: ['port', 'PORT'],
  host: ['host', 'HOST'],
  modelsDir: ['models', 'DENDRITE_MODELS'],
  pollInterval: ['poll-interval', 'DENDRITE_POLL_INTERVAL'],
  adminToken: ['admin-token', 'DENDRITE_ADMIN_TOKEN'],
  allowedHosts: ['allowed-hosts', 'DENDRITE_ALLOWED_HOSTS'],
  cors: ['cors', 'DENDRITE_CORS'],
  bodyLimit: ['body-limit', 'DENDRITE_BODY_LIMIT'],
  maxBatch: ['max-batch', 'DENDRITE_MAX_BATCH'],
  uploads: ['uploads', 'DENDRITE_UPLOADS'],
  logLevel: ['log-level', 'LOG_LEVEL'],
  drainDelay: ['drain-delay', 'DENDRITE_DRAIN_DELAY'],
  shutdownTimeout: ['shutdown-timeout', 'DENDRITE_SHUTDOWN_TIMEOUT'],
} as const;

/**
 * The configuration from command-line arguments and environment variables, or `help` when asked.
 * Throws an Error whose message says which setting is wrong.
 */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(
        Object.values(settings).map(([flag]) => [flag, { type: 'string' as const }]),
      ),
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const flags = values as Record<string, string | undefined>;
  const raw = Object.fromEntries(
    Object.entries(settings)
      .map(([key, [flag, variable]]) => [key, flags[flag] ?? env[variable]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [flag, variable] = settings[issue.path[0] as keyof typeof settings];
    throw new Error(`--${flag} (${variable}): ${issue.message}`);
  }
  const warnings =
    flags['admin-token'] === undefined
      ? []
      : [
          'the admin token was given as --admin-token, which ps, shell history and logs of the command line show: set DENDRITE_ADMIN_TOKEN instead',
        ];
  return { ...parsed.data, warnings };
}
