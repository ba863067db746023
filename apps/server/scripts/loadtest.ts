/**
 * Load test on loopback, bounded in time (about a minute and a half): the real server in its own
 * process, autocannon against a trivial GET and against infer with a batch of one on the lecture
 * model, taking turns for fifteen short rounds in one run; then 30 seconds of infer with the server's RSS
 * read before and after.
 * Passes when the server's capacity for infer (the inverse of its CPU time per request) is ≥ 80% of
 * its capacity for the trivial route, with no errors and
 * no non-2xx, and the RSS stays flat.
 * `pnpm --filter @dendrite/server loadtest [seconds per round, default 2] [--shape 784-32-10]
 * [--batch 64] [--binary] [--source]`: with `--shape`, infer asks a tanh network of that shape
 * (served from a temporary model repository) instead of the lecture's, and the target is 50%;
 * with `--batch`, each request carries that many rows (and the table says rows per second); with
 * `--binary`, its numbers go as raw FP64 bytes after the JSON (the binary tensor extension). It
 * runs the built server (`pnpm build` first), or with `--source` the sources through tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Network, saveModel } from '@dendrite/nn';
import autocannon from 'autocannon';

const path = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const option = (name: string) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1]!;
};
const shape = option('--shape')?.split('-').map(Number);
const batch = Number(option('--batch') ?? 1);
const seconds = Number(
  process.argv
    .slice(2)
    .find((a, i, all) => !['--shape', '--batch'].includes(all[i - 1]!) && /^\d/.test(a)) ?? 2,
);
const target = shape === undefined ? 0.8 : 0.5;
// Many short rounds: the machine's speed drifts by ±10% over seconds, and each round's two runs
// are neighbours in time, so the median of many paired ratios is steadier than of a few long ones.
const rounds = 15;
const soakSeconds = 30;
const connections = 10;

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
// The built server, as the image runs it (after `pnpm build`); `--source` runs the sources with tsx.
const entry = process.argv.includes('--source')
  ? ['--import', 'tsx', '--conditions=@dendrite/source', path('../src/server.ts')]
  : [path('../dist/server.js')];
const serverCommand = [process.execPath, ...entry, '--port', String(port), '--body-limit', '16mb'];
// A network of the asked shape, as model `mlp` in a temporary repository.
const repository = shape && mkdtempSync(join(tmpdir(), 'dendrite-loadtest-'));
if (repository !== undefined) {
  const network = new Network(shape!, { activation: 'tanh', outputActivation: 'linear', seed: 1 });
  mkdirSync(join(repository, 'mlp', '1'), { recursive: true });
  writeFileSync(join(repository, 'mlp', '1', 'model.json'), saveModel(network));
  serverCommand.push('--models', repository);
}
// Where taskset exists, the server gets core 0 and autocannon (this process) core 1, so that the
// two do not compete for the same core and the comparison is steadier.
const pinned = (() => {
  try {
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const server = pinned
  ? spawn('taskset', ['-c', '0', ...serverCommand], { stdio: 'ignore' })
  : spawn(serverCommand[0]!, serverCommand.slice(1), { stdio: 'ignore' });
const stop = () => {
  server.kill('SIGTERM');
  if (repository !== undefined) rmSync(repository, { recursive: true, force: true });
};
process.on('exit', stop);

const base = `http://127.0.0.1:${port}`;
for (let tries = 0; ; tries++) {
  if (tries > 100) throw new Error('the server did not start');
  if (
    await fetch(`${base}/v2/health/live`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const rssMB = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
const width = shape?.[0] ?? 2;
const numbers = Array.from({ length: batch }, (_, row) =>
  shape === undefined
    ? [128 + row, 63]
    : Array.from({ length: width }, (_, i) => Math.sin(i + row)),
).flat();
const binary = process.argv.includes('--binary');
const tensor = { name: 'input', shape: [batch, width], datatype: 'FP64' };
const header = JSON.stringify({
  inputs: [
    binary
      ? { ...tensor, parameters: { binary_data_size: numbers.length * 8 } }
      : { ...tensor, data: numbers },
  ],
});
const infer = {
  url: `${base}/v2/models/${shape === undefined ? 'lecture' : 'mlp'}/infer`,
  method: 'POST' as const,
  headers: binary
    ? {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(Buffer.byteLength(header)),
      }
    : { 'content-type': 'application/json' },
  body: binary
    ? Buffer.concat([Buffer.from(header), Buffer.from(new Float64Array(numbers).buffer)])
    : header,
};
/** The server's CPU seconds so far (user + system), from /proc. */
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** A run, and the server's CPU time per request in it (its capacity, whether or not autocannon saturates it). */
const run = async (duration: number, request: Partial<autocannon.Options> = {}) => {
  const before = cpuSeconds();
  const result = await autocannon({ url: base, connections, duration, ...request });
  const cpu = cpuSeconds() - before;
  return Object.assign(result, { cpuPerRequest: cpu / result.requests.total });
};
type Run = Awaited<ReturnType<typeof run>>;
const summary = (name: string, r: Run) => ({
  route: name,
  'req/s': Math.round(r.requests.average),
  'rows/s': Math.round(r.requests.average * (name.startsWith('POST') ? batch : 1)),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  'server CPU µs/req': Math.round(r.cpuPerRequest * 1e6),
  errors: r.errors + r.timeouts,
  'non-2xx': r.non2xx,
});

await run(2, { url: `${base}/v2/health/live` }); // warm up both routes
await run(2, infer);
// The two routes take turns, and the medians are compared: two cores are shared with autocannon.
const trivialRuns: Run[] = [];
const inferRuns: Run[] = [];
for (let round = 0; round < rounds; round++) {
  trivialRuns.push(await run(seconds, { url: `${base}/v2/health/live` }));
  inferRuns.push(await run(seconds, infer));
}
const median = (runs: Run[]) =>
  [...runs].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(runs.length / 2)]!;
const trivial = median(trivialRuns);
const predictions = median(inferRuns);
const before = rssMB();
const soak = await run(soakSeconds, infer);
const after = rssMB();
stop();

const rows = [
  summary(`GET /v2/health/live (median of ${rounds})`, trivial),
  summary(
    `POST infer ${shape?.join('-') ?? 'lecture'}, batch ${batch}${binary ? ', binary' : ''} (median of ${rounds})`,
    predictions,
  ),
  summary(`POST infer, ${soakSeconds} s`, soak),
];
const all = [...trivialRuns, ...inferRuns, soak];
console.log(
  pinned
    ? 'server on core 0, autocannon on core 1'
    : 'taskset not found: server and autocannon share cores',
);
console.table(rows);
// The rate the server can sustain is the inverse of its CPU time per request; autocannon, on its
// one core, may saturate before the server does, and then the request rates compare the client.
// Each round's two runs are neighbours in time, so their ratio cancels the machine's drift; the
// median round's ratio is the figure.
const rates = predictions.requests.average / trivial.requests.average;
const roundRatios = trivialRuns.map((t, r) => t.cpuPerRequest / inferRuns[r]!.cpuPerRequest);
const ratio = [...roundRatios].sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
console.log(`per round: ${roundRatios.map((r) => `${(r * 100).toFixed(0)}%`).join(' ')}`);
console.log(`infer / trivial, requests per second: ${(rates * 100).toFixed(0)}%`);
console.log(
  `infer / trivial, server capacity (CPU per request): ${(ratio * 100).toFixed(0)}% (target ≥ ${target * 100}%${shape === undefined ? ', goal 85%' : ''})`,
);
console.log(
  `server RSS: ${before.toFixed(1)} MB before the ${soakSeconds} s run, ${after.toFixed(1)} MB after (${(after - before >= 0 ? '+' : '') + (after - before).toFixed(1)} MB)`,
);
const failures = [
  // (a batch of many rows is measured in rows per second, not against the trivial route)
  batch === 1 && ratio < target && `infer is under ${target * 100}% of the trivial route`,
  all.some((r) => r.errors + r.timeouts > 0 || r.non2xx > 0) &&
    'there were errors or non-2xx answers',
  after - before > Math.max(20, before * 0.2) && 'the RSS grew during the run',
].filter(Boolean);
if (failures.length > 0) {
  console.error(`FAIL: ${failures.join('; ')}`);
  process.exitCode = 1;
} else console.log('PASS');
