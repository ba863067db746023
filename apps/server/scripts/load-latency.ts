/**
 * What other clients feel while a large model loads: the real server in its own process, a
 * 784-32-10 model file (about 780 KB) PUT into its repository from a second process, and health
 * probed every 5 ms from this one, three times. Passes when no probe takes 50 ms or more and the
 * model answers afterwards. `pnpm --filter @dendrite/server load-latency`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Network, saveModel } from '@dendrite/nn';

const token = 'load-latency-admin-token';
const [mode, url, file] = process.argv.slice(2);
if (mode === 'upload') {
  // The uploading client, in a process of its own so that its work never delays the probes.
  const put = await fetch(`${url}/v2/models/large`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: readFileSync(file!),
  });
  process.stdout.write(String(put.status));
  process.exit(0);
}

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as AddressInfo;
    probe.close(() => resolve(port));
  });
});
const directory = mkdtempSync(join(tmpdir(), 'dendrite-load-latency-'));
mkdirSync(join(directory, 'models'));
const model = join(directory, 'large-model.json');
writeFileSync(model, saveModel(new Network([784, 32, 10], { seed: 1 })));
const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// The built server, as the image runs it (after `pnpm build`).
const server = spawn(process.execPath, [entry('../dist/server.js')], {
  stdio: 'ignore',
  env: {
    ...process.env,
    PORT: String(port),
    DENDRITE_MODELS: join(directory, 'models'),
    DENDRITE_ADMIN_TOKEN: token,
    DENDRITE_BODY_LIMIT: '10mb',
    LOG_LEVEL: 'warn',
  },
});
process.on('exit', () => server.kill());
const base = `http://127.0.0.1:${port}`;
for (
  let tries = 0;
  !(await fetch(`${base}/v2/health/live`).then(
    (r) => r.ok,
    () => false,
  ));
  tries++
) {
  if (tries > 100) throw new Error('the server did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

let worst = 0;
for (let round = 1; round <= 3; round++) {
  const latencies: number[] = [];
  let probing = true;
  const probes = (async () => {
    while (probing) {
      const start = performance.now();
      await fetch(`${base}/v2/health/live`);
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  const upload = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@dendrite/source',
      entry('./load-latency.ts'),
      'upload',
      base,
      model,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let status = '';
  upload.stdout.on('data', (chunk: Buffer) => (status += chunk.toString()));
  await new Promise((resolve) => upload.on('exit', resolve));
  const loaded = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 300));
  probing = false;
  await probes;
  const sorted = latencies.sort((a, b) => a - b);
  const max = sorted.at(-1)!;
  worst = Math.max(worst, max);
  const at = (q: number) => sorted[Math.floor(sorted.length * q)]!.toFixed(1);
  console.log(
    `round ${round}: PUT ${status} in ${(loaded / 1000).toFixed(2)} s (with its client's start); ` +
      `${sorted.length} health probes, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${max.toFixed(1)} ms`,
  );
}
const answer = await fetch(`${base}/v2/models/large/infer`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP64', data: Array(784).fill(0.5) }],
  }),
});
if (worst >= 50 || answer.status !== 200) {
  console.error(
    `FAIL: worst health probe ${worst.toFixed(1)} ms (target < 50), infer ${answer.status}`,
  );
  process.exitCode = 1;
} else
  console.log(`PASS: worst health probe ${worst.toFixed(1)} ms (target < 50); the model answers`);
server.kill();
