/**
 * How fast the server is ready, and how much memory it holds idle: the built server (`node
 * dist/server.js`, as the image runs it) against the sources run through tsx (`pnpm dev`), in
 * turns, each a fresh process on a free port. For each, the time from spawning the process to the
 * first 200 from `/v2/health/ready`, and the RSS a second later; medians of the runs.
 * `pnpm --filter @dendrite/server startup [runs, default 7]` (after `pnpm build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 7);
const path = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ways: Record<string, string[]> = {
  'built (node dist/server.js)': [path('../dist/server.js')],
  'sources (node --import tsx src/server.ts)': [
    '--import',
    'tsx',
    '--conditions=@dendrite/source',
    path('../src/server.ts'),
  ],
};
if (!existsSync(path('../dist/server.js'))) {
  console.error('no dist/server.js: run pnpm build first');
  process.exit(1);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const ready = (port: number) =>
  new Promise<boolean>((resolve) => {
    get({ host: '127.0.0.1', port, path: '/v2/health/ready', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });

/** One start: milliseconds until ready, and the RSS in MB a second later. */
async function once(args: string[]): Promise<{ ms: number; rssMB: number }> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [...args, '--port', String(port), '--log-level', 'silent'],
    {
      stdio: 'ignore',
    },
  );
  while (!(await ready(port))) await sleep(5);
  const ms = performance.now() - start;
  await sleep(1000);
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMB = Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  child.kill('SIGKILL');
  return { ms, rssMB };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const results = new Map<string, { ms: number[]; rssMB: number[] }>();
for (let round = 0; round < runs; round++) {
  for (const [name, args] of Object.entries(ways)) {
    const { ms, rssMB } = await once(args);
    const entry = results.get(name) ?? { ms: [], rssMB: [] };
    entry.ms.push(ms);
    entry.rssMB.push(rssMB);
    results.set(name, entry);
  }
}
console.table(
  [...results].map(([name, { ms, rssMB }]) => ({
    server: name,
    'ms to ready (median)': Math.round(median(ms)),
    'RSS idle MB (median)': Number(median(rssMB).toFixed(1)),
  })),
);
