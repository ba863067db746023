/**
 * `dendrite sweep` measured as the sweep issue asks, on the committed 90-trial iris spec: the
 * same rows and model with 1 and 2 local workers and with 3 workers on Redis; the same rows
 * after faults (a worker, a trial's child process or the coordinator killed, Redis restarted
 * empty) and one failed row per trial of a setting that always fails; trials per minute at 1, 2
 * and 4 workers; and the per-trial cost of the pool and of Redis with `epochs: 1`. The Redis
 * parts need Debian's redis-server (skipped, with a note, without it). Runs the built CLI:
 * `pnpm --filter @dendrite/bench sweep [--cli path/to/main.js]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { replaceSection } from './benchmarks-file.js';
import { childrenOf, median, SweepFolder, until } from './sweep-folder.js';

const cliAt = process.argv.indexOf('--cli');
const cli =
  cliAt > 0
    ? process.argv[cliAt + 1]!
    : fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));
const redisServer = [process.env.REDIS_SERVER, '/usr/bin/redis-server'].find(
  (p) => p !== undefined && existsSync(p),
);
/** The sweep section of BENCHMARKS.md, measured now (it prints its lines as it goes). */
export async function sweepSection(): Promise<string> {
  const bench = new SweepFolder(cli);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const reference = 'workers-1';
  const verdict = (out: string) => bench.verdict(out, reference);

  say(
    'The committed 90-trial iris spec (`packages/fixtures/data/iris-sweep.yaml`: 3 learning rates × 3 layer sizes × 2 seeds × 5 folds, 100 epochs of Adam):\n',
  );
  const speed: string[] = [];
  for (const workers of [1, 2, 4]) {
    await bench.timed([
      'sweep',
      'iris.yaml',
      '--workers',
      String(workers),
      '--out',
      `workers-${workers}`,
    ]);
    if (workers > 1) say(`- --workers ${workers}: ${verdict(`workers-${workers}`)}`);
  }

  // Faults on this machine: a trial's child killed; the coordinator killed, then --resume.
  {
    const sweep = bench.start(['sweep', 'iris.yaml', '--workers', '2', '--out', 'child-killed']);
    await until(() => bench.rowCount('child-killed') >= 10);
    process.kill(childrenOf(sweep.child.pid!)[0]!, 'SIGKILL');
    await sweep.done;
    say(`- a pool child SIGKILLed mid-sweep: ${verdict('child-killed')}`);
    const killed = ['sweep', 'iris.yaml', '--workers', '2', '--out', 'coordinator-killed'];
    const coordinator = bench.start(killed);
    await until(() => bench.rowCount('coordinator-killed') >= 30);
    coordinator.child.kill('SIGKILL');
    await coordinator.done;
    appendFileSync(join(bench.path, 'coordinator-killed', 'trials.jsonl'), '{"key":"a torn line');
    const recorded = bench.rowCount('coordinator-killed');
    await bench.timed([...killed, '--resume']);
    say(
      `- the coordinator SIGKILLed after ${recorded} rows (a torn line appended), then --resume: ${verdict('coordinator-killed')}`,
    );
    await bench.timed(['sweep', 'poisoned.yaml', '--workers', '2', '--out', 'poisoned']);
    const poisoned = bench.rows('poisoned') as { status: string; attempts: number }[];
    say(
      `- a setting that always fails (binaryCrossEntropy on 3 classes, 60 of 120 trials): ${poisoned.filter((r) => r.status === 'failed').length} failed rows, each run ${Math.max(...poisoned.map((r) => r.attempts))} time(s); the sweep finished with ${poisoned.length} rows`,
    );
  }

  // Speed: three rounds taking turns (the machine's second core comes and goes), medians.
  const counts = [1, 2, 4];
  const times = {
    alone: [] as number[],
    pair: [] as number[],
    iris: counts.map(() => [] as number[]),
    cancer: counts.map(() => [] as number[]),
  };
  for (let round = 0; round < 3; round++) {
    times.alone.push(await bench.loops(1));
    times.pair.push(await bench.loops(2));
    for (const [k, workers] of counts.entries()) {
      for (const name of ['iris', 'cancer'] as const) {
        const { seconds } = await bench.timed([
          'sweep',
          `${name}.yaml`,
          '--workers',
          String(workers),
          '--out',
          `speed-${name}-${round}-${workers}`,
        ]);
        times[name][k]!.push(seconds);
      }
    }
  }
  const [alone, pair] = [median(times.alone), median(times.pair)];
  speed.push(
    `two processes of a plain Float64Array loop at once do ${((2 * alone) / pair).toFixed(2)}× the work of one in the same time (${alone.toFixed(2)} s alone, ${pair.toFixed(2)} s for two): about the most two workers can give here`,
  );
  for (const [name, trials, what] of [
    ['iris', 90, 'iris, the 90 trials above (about 30 ms each)'],
    ['cancer', 8, 'breast cancer, 8 trials of about 0.3 s (569 rows, 30-32-1, 60 epochs)'],
  ] as const) {
    const medians = times[name].map(median);
    speed.push(
      `${what}: ${medians.map((t, k) => `${counts[k]} worker${k ? 's' : ''} ${t.toFixed(2)} s, ${((trials / t) * 60).toFixed(0)} trials/min (${(medians[0]! / t).toFixed(2)}×)`).join('; ')}`,
    );
  }

  let port = 0;
  let redis: ChildProcess | undefined;
  async function startRedis() {
    redis = spawn(
      redisServer!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await sleep(300);
  }
  async function killRedis() {
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGKILL');
    await exited;
  }
  const workers: ChildProcess[] = [];
  const worker = (db: number) => {
    const { child } = bench.start([
      'worker',
      '--queue',
      `redis://127.0.0.1:${port}/${db}`,
      '--concurrency',
      '1',
    ]);
    workers.push(child);
    return child;
  };
  const stopWorkers = async () => {
    const running = workers
      .splice(0)
      .filter((child) => child.exitCode === null && child.signalCode === null);
    await Promise.all(
      running.map(
        (child) => new Promise((resolve) => (child.once('close', resolve), child.kill('SIGTERM'))),
      ),
    );
  };

  const overhead: string[] = [];
  if (redisServer === undefined) {
    say('- Redis: skipped (no redis-server; `apt-get install redis-server`, or set REDIS_SERVER)');
  } else {
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    await startRedis();
    const queue = (db: number) => `redis://127.0.0.1:${port}/${db}`;
    [1, 2, 3].forEach(() => worker(1));
    const { seconds } = await bench.timed([
      'sweep',
      'iris.yaml',
      '--queue',
      queue(1),
      '--out',
      'redis-3',
    ]);
    say(`- Redis, 3 workers (--concurrency 1 each): ${verdict('redis-3')}`);
    speed.push(
      `Redis, 3 workers on this machine: ${seconds.toFixed(2)} s, ${((90 / seconds) * 60).toFixed(0)} trials/min`,
    );
    await stopWorkers();

    const [victim, other] = [worker(2), worker(2), worker(2)];
    const faults = bench.start([
      'sweep',
      'iris.yaml',
      '--queue',
      queue(2),
      '--out',
      'redis-faults',
    ]);
    await until(() => bench.rowCount('redis-faults') >= 10);
    victim.kill('SIGKILL');
    await until(() => bench.rowCount('redis-faults') >= 30);
    process.kill(childrenOf(other.pid!)[0]!, 'SIGKILL');
    await faults.done;
    say(
      `- Redis: a worker SIGKILLed mid-trial, then a worker's trial process SIGKILLed: ${verdict('redis-faults')}`,
    );
    await stopWorkers();

    worker(3);
    worker(3);
    const restart = bench.start([
      'sweep',
      'iris.yaml',
      '--queue',
      queue(3),
      '--out',
      'redis-restart',
    ]);
    await until(() => bench.rowCount('redis-restart') >= 30);
    await killRedis();
    await startRedis();
    await restart.done;
    say(`- Redis SIGKILLed after 30 rows and restarted empty: ${verdict('redis-restart')}`);
    await stopWorkers();

    worker(4);
    const local = await bench.timed([
      'sweep',
      'one-epoch.yaml',
      '--workers',
      '1',
      '--out',
      'one-epoch-pool',
    ]);
    const queued = await bench.timed([
      'sweep',
      'one-epoch.yaml',
      '--queue',
      queue(4),
      '--out',
      'one-epoch-redis',
    ]);
    overhead.push(
      `epochs: 1, one worker: ${((local.seconds / 90) * 1000).toFixed(1)} ms a trial on the pool, ${((queued.seconds / 90) * 1000).toFixed(1)} ms on Redis (each includes the sweep's own start and refit, over 90 trials)`,
    );
    await stopWorkers();
    await killRedis();
  }
  say(
    `\nSpeed on this ${(await import('node:os')).availableParallelism()}-core machine (medians of three rounds; Redis and the overhead, one run):`,
  );
  for (const line of [...speed, ...overhead]) say(`- ${line}`);
  bench.remove();
  return `## Sweeps: dendrite sweep on one machine and on Redis

\`pnpm --filter @dendrite/bench sweep\` (the built CLI; Redis parts need Debian's redis-server).
Rows are compared without their run-dependent fields (seconds, host, time, attempts); "runs" adds
up the rows' attempts. On speed: one worker already keeps more than one core busy (V8 compiles and
collects garbage on threads of its own), and two trainings at once slow each other more than two
plain loops do, so a second worker gives less here than the plain loop's ratio.

${lines.join('\n')}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await sweepSection();
  replaceSection('## Sweeps:', section);
}
