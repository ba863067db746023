// A sweep over many machines: BullMQ on Redis. The coordinator enqueues each trial under its key
// and records each finished job's row (synced) before removing the job; `dendrite worker`s run
// the trials on child processes. Loaded only when --queue is given.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import type { SweepRun } from './local.js';
import { attemptsPerTrial } from './local.js';
import { TrialCrash, TrialPool } from './pool.js';
import { rowOf, type Outcome } from './results.js';
import { TrialError, type TrialMetrics } from './trial.js';

/** The queue every sweep's trials go through; a trial's job id is `trial-<key>`. */
const queueName = 'dendrite-trials';
/** The largest data file a sweep ships through Redis. */
export const mostQueuedBytes = 64 * 1024 * 1024;
/** How long a worker's data stays in Redis after the sweep last sent it. */
const dataSeconds = 7 * 24 * 3600;

/** What a trial's job carries: its arguments, and its data by hash. */
interface TrialJob {
  key: string;
  args: string[];
  hash: string;
}
/** What a worker returns for a trial that ran. */
interface TrialDone {
  metrics: TrialMetrics;
  seconds: number;
  host: string;
}

/** ioredis options for a `redis://[user:password@]host[:port][/db]` URL. */
export function redisOptions(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--queue ${url} is not a URL; give redis://host:port/db`, 2);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (!['redis:', 'rediss:'].includes(parsed.protocol) || !/^\d*$/.test(db)) {
    throw new CliError(`--queue ${url} is not a Redis URL such as redis://host:6379/0`, 2);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: Number(db || 0),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null, // (commands wait for Redis to come back)
  };
}

const dataKey = (hash: string) => `dendrite:data:${hash}`; // (base64: Redis's client speaks strings)
const jobId = (key: string) => `trial-${key}`;

/**
 * The coordinator: sends the data, enqueues every trial not yet recorded, and records each job
 * that ends, then removes it. Every few seconds it checks that each unrecorded trial still has a
 * job (a Redis that restarted empty loses them) and enqueues it again if not.
 */
export async function runOnQueue(run: SweepRun, url: string, bytes: Buffer): Promise<void> {
  if (bytes.length > mostQueuedBytes) {
    throw new CliError(
      `${run.dataPath} is ${(bytes.length / 2 ** 20).toFixed(0)} MB; a sweep on Redis sends its data through Redis, up to ${mostQueuedBytes / 2 ** 20} MB: run it on this machine (--workers), or sample the rows`,
    );
  }
  const queue = new Queue<TrialJob, TrialDone>(queueName, { connection: redisOptions(url) });
  queue.on('error', () => {}); // (ioredis reconnects; the loop below waits for it)
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(
      `dendrite: sweep stopped by ${signal}; its trials stay queued and recorded: --resume collects the rest\n`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const waiting = new Map(run.trials.map((trial) => [trial.key, trial]));
  const enqueue = async () => {
    const client = await queue.client;
    await client.set(dataKey(run.hash), bytes.toString('base64'), { EX: dataSeconds });
    const absent = [];
    for (const trial of waiting.values()) {
      if ((await queue.getJob(jobId(trial.key))) === undefined) absent.push(trial);
    }
    await queue.addBulk(
      absent.map((trial) => ({
        name: 'trial',
        data: { key: trial.key, args: trial.args, hash: run.hash },
        opts: {
          jobId: jobId(trial.key),
          attempts: attemptsPerTrial,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
  };
  try {
    let checked = -Infinity; // (enqueued at once, then checked every 5 s)
    while (waiting.size > 0) {
      try {
        if (performance.now() - checked > 5000) {
          await enqueue();
          checked = performance.now();
        }
        let recorded = 0;
        for (const state of ['completed', 'failed'] as const) {
          for (const job of await queue.getJobs(state, 0, 99, true)) {
            recorded += (await collect(job, state, run, waiting)) ? 1 : 0;
          }
        }
        if (recorded === 0) await sleep(200);
      } catch {
        await sleep(1000); // (Redis is away: try again)
      }
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await queue.close();
  }
}

/** Records an ended job of this sweep (synced to disk), then removes it from Redis. */
async function collect(
  job: Job<TrialJob, TrialDone>,
  state: 'completed' | 'failed',
  run: SweepRun,
  waiting: Map<string, SweepRun['trials'][number]>,
): Promise<boolean> {
  const trial = waiting.get(job.data.key);
  if (trial === undefined || job.data.hash !== run.hash) return false; // (another sweep's job)
  const attempts = Math.max(1, job.attemptsStarted ?? 0, job.attemptsMade);
  const done = state === 'completed' ? job.returnvalue : undefined;
  const outcome: Outcome = done
    ? { status: 'ok', metrics: done.metrics }
    : { status: 'failed', error: job.failedReason ?? 'failed' };
  const row = rowOf(trial, run.command(trial), outcome, attempts, done?.seconds ?? 0, done?.host);
  await run.record(row);
  waiting.delete(trial.key);
  await job.remove().catch(() => {});
  return true;
}

/**
 * `dendrite worker`: takes trials from the queue, `concurrency` at a time, each on a child
 * process; SIGTERM or SIGINT finishes the trials in hand, then returns.
 */
export async function work(url: string, concurrency: number, io: Io): Promise<void> {
  const connection = redisOptions(url);
  const pool = new TrialPool(concurrency);
  const worker = new Worker<TrialJob, TrialDone>(
    queueName,
    async (job) => {
      const start = performance.now();
      const path = await dataFile(job.data.hash, worker);
      try {
        const metrics = await pool.run(job.data.args, path, job.data.hash);
        const seconds = (performance.now() - start) / 1000;
        io.stderr.write(`trial ${job.data.key} done in ${seconds.toFixed(1)} s\n`);
        return { metrics, seconds, host: hostname() };
      } catch (error) {
        io.stderr.write(`trial ${job.data.key} failed: ${(error as Error).message}\n`);
        if (error instanceof TrialError) throw new UnrecoverableError(error.message);
        throw error instanceof TrialCrash ? error : new Error(String(error));
      }
    },
    // (a lock renewed every 5 s: a dead worker's trials go back to the queue within about 15 s)
    { connection, concurrency, lockDuration: 10_000, stalledInterval: 5000, maxStalledCount: 2 },
  );
  worker.on('error', () => {}); // (ioredis reconnects)
  io.stderr.write(
    `dendrite worker: running trials from ${url}, ${concurrency} at a time (pids ${pool.pids.join(', ')}); SIGTERM or Ctrl-C finishes the trials in hand, then stops\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve).once('SIGINT', resolve);
  });
  io.stderr.write(`dendrite worker: ${signal}: finishing the trials in hand\n`);
  await worker.close();
  pool.close();
}

/** The data file of this hash, fetched from Redis into a temporary folder unless it is there. */
async function dataFile(hash: string, worker: Worker): Promise<string> {
  const folder = join(tmpdir(), 'dendrite-sweep-data');
  const path = join(folder, `${hash}.csv`);
  if (existsSync(path)) return path;
  const client = await worker.client;
  for (let tries = 0; ; tries++) {
    const text = await client.get(dataKey(hash));
    if (text !== null) {
      await mkdir(folder, { recursive: true });
      await writeAtomically(path, Buffer.from(text, 'base64'));
      return path;
    }
    // (a Redis that restarted empty gets the data again from the coordinator within seconds)
    if (tries === 30) throw new Error(`the sweep's data ${hash} is not in Redis`);
    await sleep(1000);
  }
}
