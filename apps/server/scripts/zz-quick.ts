import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
const port = 18300 + Math.floor(Math.random() * 500);
const server = spawn(
  'taskset',
  [
    '-c',
    '0',
    process.execPath,
    '--import',
    'tsx',
    '--conditions=@dendrite/source',
    'src/server.ts',
    '--port',
    String(port),
    ...process.argv.slice(2),
  ],
  { stdio: 'ignore' },
);
const base = `http://127.0.0.1:${port}`;
for (;;) {
  if (
    await fetch(`${base}/v2/health/live`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  await new Promise((r) => setTimeout(r, 100));
}
const cpu = () => {
  const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const infer = {
  url: `${base}/v2/models/lecture/infer`,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
  }),
};
const run = async (o: object) => {
  const c = cpu();
  const r = await autocannon({ url: base, connections: 10, duration: 4, ...o });
  return ((cpu() - c) / r.requests.total) * 1e6;
};
await run({ url: `${base}/v2/health/live` });
await run(infer);
const t: number[] = [],
  i: number[] = [];
for (let k = 0; k < 3; k++) {
  t.push(await run({ url: `${base}/v2/health/live` }));
  i.push(await run(infer));
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[1]!;
console.log(
  'trivial µs',
  t.map(Math.round),
  'infer µs',
  i.map(Math.round),
  'ratio',
  ((med(t) / med(i)) * 100).toFixed(0) + '%',
);
server.kill();
