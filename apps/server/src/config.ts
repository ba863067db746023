import { parseArgs } from 'node:util';
import { z } from 'zod';

/** The server's settings, from flags first, then environment variables, then defaults. */
export interface Config {
  port: number;
  host: string;
  /** A directory of `<name>.json` model files; without it the built-in `lecture` model is served. */
  modelsDir?: string;
  bodyLimit: string;
  maxBatch: number;
  /** How many models clients may add with PUT /v2/models/{name}; 0 turns uploads off. */
  uploads: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Milliseconds to keep accepting connections after SIGTERM, while readiness is already 503. */
  drainDelay: number;
  /** Milliseconds to let in-flight requests finish after SIGTERM. */
  shutdownTimeout: number;
}

export const usage = `Usage: dendrite-server [options]

Serves dendrite models over HTTP (Open Inference Protocol and TensorFlow Serving :predict),
and the Playground page at / when it is built (pnpm --filter @dendrite/server build).

Options (each also read from the environment variable in brackets):
  --port <n>              port to listen on (PORT; default 8080; 0 picks a free one)
  --host <address>        address to listen on (HOST; default 127.0.0.1)
  --models <dir>          serve every model file <name>.json in <dir> (DENDRITE_MODELS);
                          without it, the built-in "lecture" model is served
  --body-limit <size>     largest request body after decompression (DENDRITE_BODY_LIMIT; default 1mb)
  --max-batch <n>         most rows per request (DENDRITE_MAX_BATCH; default 1024)
  --uploads <n>           how many models clients may add with PUT /v2/models/<name>, as the
                          Playground page does (DENDRITE_UPLOADS; default 16; 0 turns it off)
  --log-level <level>     fatal, error, warn, info, debug, trace or silent (LOG_LEVEL; default info)
  --drain-delay <ms>      after SIGTERM, keep accepting connections this long while readiness
                          is already 503 (DENDRITE_DRAIN_DELAY; default 100)
  --shutdown-timeout <ms> time for in-flight requests after SIGTERM (DENDRITE_SHUTDOWN_TIMEOUT; default 10000)
  --help                  show this help

Example:
  pnpm serve -- --port 8080 --models ./models`;

const whole = (min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min)
    .max(max);
const schema = z.strictObject({
  port: whole(0, 65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  modelsDir: z.string().min(1).optional(),
  bodyLimit: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'a size such as 100kb or 1mb')
    .default('1mb'),
  maxBatch: whole(1, 1_000_000).default(1024),
  uploads: whole(0, 10_000).default(16),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  drainDelay: whole(0, 600_000).default(100),
  shutdownTimeout: whole(0, 600_000).default(10_000),
});

const options = {
  port: ['port', 'PORT'],
  host: ['host', 'HOST'],
  modelsDir: ['models', 'DENDRITE_MODELS'],
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
        Object.values(options).map(([flag]) => [flag, { type: 'string' as const }]),
      ),
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const flags = values as Record<string, string | undefined>;
  const raw = Object.fromEntries(
    Object.entries(options)
      .map(([key, [flag, variable]]) => [key, flags[flag] ?? env[variable]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [flag, variable] = options[issue.path[0] as keyof typeof options];
    throw new Error(`--${flag} (${variable}): ${issue.message}`);
  }
  return parsed.data;
}
