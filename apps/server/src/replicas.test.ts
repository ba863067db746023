// Three replicas on one model repository behind a real load balancer: Debian's nginx, on loopback
// ports (apt-get install -y nginx; .ci/run installs it). Without nginx these tests skip and say so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lectureData, lectureNetwork, saveModel, train } from '@dendrite/nn';
import { afterAll, describe, expect, it } from 'vitest';

const nginx = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const hasNginx = existsSync(nginx);
if (!hasNginx) {
  console.warn(
    `Skipping the load-balancer test: no nginx at ${nginx} (apt-get install -y nginx, or set NGINX_PATH). .ci/run installs it.`,
  );
}
// The server as the image runs it: the build (brought up to date by the tests' global setup).
const entry = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const token = 'replica-test-admin-token';
const repository = mkdtempSync(join(tmpdir(), 'dendrite-replicas-'));
const running: ChildProcess[] = [];
let balancer: ChildProcess | undefined;
afterAll(async () => {
  const exits = running.filter((c) => c.exitCode === null).map((c) => once(c, 'exit'));
  // nginx's master stops its workers on SIGTERM; a killed master would leave them running.
  running.forEach((child) => child.kill(child === balancer ? 'SIGTERM' : 'SIGKILL'));
  await Promise.all(exits);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/** A replica on `port`, resolved once it listens. */
async function replica(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [entry, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DENDRITE_MODELS: repository,
      DENDRITE_ADMIN_TOKEN: token,
      DENDRITE_POLL_INTERVAL: '500',
      DENDRITE_DRAIN_DELAY: '2000',
    },
  });
  running.push(child);
  let output = '';
  while (!output.includes('"msg":"listening"')) {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    output += chunk.toString();
  }
  child.stdout!.resume();
  return child;
}

const inferBody = JSON.stringify({
  inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
});
const infer = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v2/models/shared/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: inferBody,
  });

describe.skipIf(!hasNginx)('three replicas behind nginx', () => {
  it('serve a model uploaded through nginx on every replica, lose no request when one stops, and it comes back with the models', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const balancerPort = await freePort();
    const replicas = await Promise.all(ports.map(replica));

    const config = join(repository, '..', `nginx-${balancerPort}.conf`);
    const temp = mkdtempSync(join(tmpdir(), 'dendrite-nginx-'));
    writeFileSync(
      config,
      `daemon off;
pid ${temp}/nginx.pid;
error_log ${temp}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  upstream dendrite {
${ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${balancerPort};
    location / {
      proxy_pass http://dendrite;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # A replica that stopped listening refuses the connection: try the next one.
      proxy_next_upstream error timeout non_idempotent;
    }
  }
}
`,
    );
    expect(spawnSync(nginx, ['-t', '-c', config], { encoding: 'utf8' }).status).toBe(0);
    balancer = spawn(nginx, ['-c', config], { stdio: 'inherit' });
    running.push(balancer);
    for (let tries = 0; ; tries++) {
      const up = await fetch(`http://127.0.0.1:${balancerPort}/v2/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (tries > 200) throw new Error('nginx did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Upload through the balancer: it reaches one replica, and every replica serves it.
    const network = lectureNetwork({ seed: 5 });
    train(network, lectureData, { epochs: 100, learningRate: 0.1 });
    const put = await fetch(`http://127.0.0.1:${balancerPort}/v2/models/shared`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: saveModel(network),
    });
    expect(put.status).toBe(201);
    const expected = network.predict([-7, -3]);
    for (const port of ports) {
      await expect
        .poll(async () => (await infer(port)).status, { timeout: 30_000, interval: 100 })
        .toBe(200);
      const answer = (await (await infer(port)).json()) as { outputs: { data: number[] }[] };
      expect(answer.outputs[0]!.data).toEqual(expected);
    }

    // Sixteen clients send back to back through the balancer while one replica stops.
    const counts = { answered: 0, failed: 0 };
    let sending = true;
    const clients = Array.from({ length: 16 }, async () => {
      while (sending) {
        const ok = await infer(balancerPort).then(
          async (r) => r.status === 200 && ((await r.json()) as object) !== null,
          () => false,
        );
        counts[ok ? 'answered' : 'failed']++;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    replicas[0]!.kill('SIGTERM');
    const [code] = (await once(replicas[0]!, 'exit')) as [number];
    await new Promise((resolve) => setTimeout(resolve, 500));
    sending = false;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(counts.answered).toBeGreaterThan(100);
    expect(counts.failed).toBe(0);

    // Restarted, it serves the same models, from the repository.
    await replica(ports[0]!);
    const metadata = await fetch(`http://127.0.0.1:${ports[0]}/v2/models/shared`);
    expect(((await metadata.json()) as { versions: string[] }).versions).toEqual(['1']);
    console.info(
      `three replicas behind nginx: ${counts.answered} requests answered, ${counts.failed} failed while one replica stopped`,
    );
  });
});
