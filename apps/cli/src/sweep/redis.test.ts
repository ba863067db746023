// Sweeps on a real redis-server (Debian's, which .ci/run installs) with workers as real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dendrite } from '../cli.test-helper.js';
import {
  childrenOf,
  modelOf,
  rowCount,
  rowsOf,
  smallSpec,
  start,
  sweepFolder,
  until,
} from './sweep.test-helper.js';

const server = [process.env.REDIS_SERVER, '/usr/bin/redis-server'].find(
  (path) => path !== undefined && existsSync(path),
);
const title = server
  ? 'dendrite sweep on Redis'
  : 'dendrite sweep on Redis (skipped: no redis-server; .ci/run installs Debian’s, or set REDIS_SERVER)';

let port: number;
let redis: ChildProcess | undefined;
let folder: string;
let reference: ReturnType<typeof rowsOf>;
const workers: ReturnType<typeof start>[] = [];

/** A port free on loopback now. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/** Starts an empty redis-server (nothing saved) on `port`, and waits until it answers. */
async function startRedis(): Promise<void> {
  redis = spawn(
    server!,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (answered) return;
    await sleep(50);
  }
}

/** Stops the redis-server by its pid, at once. */
async function killRedis(): Promise<void> {
  const stopped = new Promise((resolve) => redis!.once('exit', resolve));
  redis!.kill('SIGKILL');
  await stopped;
}

const url = (db: number) => `redis://127.0.0.1:${port}/${db}`;
/** A worker on database `db`, once it has said it is running (its child process started). */
const worker = async (db: number) => {
  const started = start(['worker', '--queue', url(db), '--concurrency', '1'], folder);
  workers.push(started);
  await until(() => started.stderr().includes('running trials from'));
  return started;
};

describe.skipIf(server === undefined)(title, () => {
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    folder = await sweepFolder(smallSpec(1000));
    const local = await dendrite(['sweep', 'iris.yaml', '--workers', '2', '--out', 'local'], {
      cwd: folder,
    });
    expect(local.code).toBe(0);
    reference = rowsOf(join(folder, 'local'));
  });
  afterEach(async () => {
    for (const { child, done } of workers.splice(0)) {
      child.kill('SIGTERM');
      await done;
    }
  });
  afterAll(async () => {
    if (redis !== undefined) await killRedis();
  });

  it('records the same rows and model with three workers as on this machine', async () => {
    for (let i = 0; i < 3; i++) await worker(1);
    const sweep = await dendrite(['sweep', 'iris.yaml', '--queue', url(1), '--out', 'three'], {
      cwd: folder,
    });
    expect(sweep.code).toBe(0);
    expect(rowsOf(join(folder, 'three'))).toEqual(reference);
    expect(modelOf(join(folder, 'three'))).toBe(modelOf(join(folder, 'local')));
  });

  it('runs again the trials of a killed worker and of a killed child process', async () => {
    const [first, second] = [await worker(2), await worker(2)];
    const out = join(folder, 'faults');
    const sweep = start(['sweep', 'iris.yaml', '--queue', url(2), '--out', 'faults'], folder);
    await until(() => rowCount(out) >= 1);
    first.child.kill('SIGKILL'); // (its trial's lock runs out, and the trial goes back to the queue)
    const [child] = childrenOf(second.child.pid!);
    process.kill(child!, 'SIGKILL');
    const { code } = await sweep.done;
    expect(code).toBe(0);
    expect(rowsOf(out)).toEqual(reference);
  });

  it('finishes after Redis restarts empty mid-sweep, every trial recorded once', async () => {
    await worker(3);
    await worker(3);
    const out = join(folder, 'restart');
    const sweep = start(['sweep', 'iris.yaml', '--queue', url(3), '--out', 'restart'], folder);
    await until(() => rowCount(out) >= 3);
    await killRedis();
    await startRedis();
    const { code } = await sweep.done;
    expect(code).toBe(0);
    expect(rowsOf(out)).toEqual(reference);
  });

  it('collects on --resume what the workers finished while the coordinator was dead, running nothing twice', async () => {
    const pair = [await worker(5), await worker(5)];
    const done = () => pair.reduce((n, w) => n + w.stderr().split(' done in ').length - 1, 0);
    const out = join(folder, 'orphaned');
    const args = ['sweep', 'iris.yaml', '--queue', url(5), '--out', 'orphaned'];
    const sweep = start(args, folder);
    await until(() => rowCount(out) >= 2);
    sweep.child.kill('SIGKILL');
    await sweep.done;
    const recorded = rowCount(out);
    await until(() => done() >= 12); // (the workers go on with the queued trials)
    const resumed = await dendrite([...args, '--resume'], { cwd: folder });
    expect(resumed.code).toBe(0);
    expect(rowsOf(out)).toEqual(reference);
    const runs = readFileSync(join(out, 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { attempts: number }).attempts);
    expect(recorded).toBeLessThan(12);
    expect(runs).toEqual(Array(12).fill(1));
  });

  it('lets a worker stopped by SIGTERM finish its trial and exit cleanly', async () => {
    const stopping = await worker(4);
    await worker(4);
    const out = join(folder, 'drained');
    const sweep = start(['sweep', 'iris.yaml', '--queue', url(4), '--out', 'drained'], folder);
    await until(() => rowCount(out) >= 1);
    stopping.child.kill('SIGTERM');
    const stopped = await stopping.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('SIGTERM: finishing the trials in hand');
    expect((await sweep.done).code).toBe(0);
    expect(rowsOf(out)).toEqual(reference);
  });
});
