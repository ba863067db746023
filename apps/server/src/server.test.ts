import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lectureNetwork, saveModel } from '@dendrite/nn';
import { once } from 'node:events';
import { Agent, createServer, get, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The server as the image runs it: the build (brought up to date by the tests' global setup).
const entry = fileURLToPath(new URL('../dist/server.js', import.meta.url));

/** Starts the real entry: the process, its output so far, its port once it listens, and a wait for a log line. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  listening.catch(() => {}); // a process that is meant to fail never listens
  const logged = async (text: string) => {
    while (!output.includes(text)) await once(child.stdout!, 'data');
  };
  return { child, output: () => output, listening, logged };
}

const exitCode = async (child: ChildProcess) =>
  child.exitCode ?? ((await once(child, 'exit')) as [number | null])[0];

/** A request on a new connection: resolves with its status, or rejects (e.g. ECONNREFUSED). */
const freshRequest = (port: number) =>
  new Promise<number>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/v2/health/live', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', reject);
  });

/** Outcomes of requests sent back to back by `clients` clients until the server refuses them. */
async function hammer(port: number, clients: number, keepAlive: boolean) {
  const counts = { answered: 0, refused: 0, reset: 0, other: 0 };
  const body = JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
  });
  const one = (agent: Agent | false) =>
    new Promise<'answered' | 'refused' | 'reset' | 'other'>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v2/models/lecture/infer',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200 ? 'answered' : 'other'));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'reset');
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
      for (;;) {
        const outcome = await one(agent);
        counts[outcome]++;
        if (outcome === 'refused') break;
      }
      if (agent) agent.destroy();
    }),
  );
  return counts;
}

describe('the server entry', () => {
  it('drains on SIGTERM: readiness 503, every request answered or refused at connect, none reset, exit 0', async () => {
    const totals = { answered: 0, refused: 0, reset: 0, other: 0 };
    for (let shutdown = 0; shutdown < 5; shutdown++) {
      const { child, listening, logged } = start([
        '--port',
        '0',
        '--log-level',
        'info',
        '--drain-delay',
        '1000',
      ]);
      const port = await listening;
      const load = Promise.all([hammer(port, 32, true), hammer(port, 32, false)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await logged('"msg":"shutting down: draining"');
      for (const counts of await load) {
        for (const key of Object.keys(totals) as (keyof typeof totals)[])
          totals[key] += counts[key];
      }
      expect(await exitCode(child)).toBe(0);
    }
    expect(totals.answered).toBeGreaterThan(0);
    expect(totals.refused).toBe(64 * 5);
    expect({ reset: totals.reset, other: totals.other }).toEqual({ reset: 0, other: 0 });
  });

  it('finishes a request still arriving when the drain ends, with Connection: close', async () => {
    const { child, listening, output, logged } = start([
      '--port',
      '0',
      '--log-level',
      'info',
      '--drain-delay',
      '500',
    ]);
    const port = await listening;
    expect(await freshRequest(port)).toBe(200);
    const rows = Array.from({ length: 1000 }, (_, i) => [i % 30, (i % 7) - 3]);
    const body = JSON.stringify({
      inputs: [{ name: 'input', shape: [1000, 2], datatype: 'FP64', data: rows }],
    });
    const inFlight = Array.from({ length: 30 }, () =>
      fetch(`http://127.0.0.1:${port}/v2/models/lecture/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).then(async (r) => ({
        status: r.status,
        rows: ((await r.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data.length,
      })),
    );
    // And one request whose body is still arriving when the shutdown begins.
    const slowBody = JSON.stringify({
      inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
    });
    const slow = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v2/models/lecture/infer',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(slowBody),
      },
    });
    const slowResponse = once(slow, 'response') as Promise<[IncomingMessage]>;
    slow.write(slowBody.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 40));
    child.kill('SIGTERM');
    await logged('"msg":"refusing new connections"');
    await expect(freshRequest(port)).rejects.toThrow(/ECONNREFUSED/);
    slow.end(slowBody.slice(20));
    const [response] = await slowResponse;
    expect(response.statusCode).toBe(200);
    expect(response.headers.connection).toBe('close');
    response.resume();
    const results = await Promise.allSettled(inFlight);
    expect(
      results.map((r) =>
        r.status === 'fulfilled'
          ? r.value
          : `${String(r.reason)} ${String((r.reason as Error).cause)}`,
      ),
    ).toEqual(Array(30).fill({ status: 200, rows: 1000 }));
    expect(await exitCode(child)).toBe(0);
    expect(output()).toContain('"msg":"shutting down: draining"');
    expect(output()).toContain('"msg":"stopped"');
  });

  // `script` (util-linux) runs the server on a pseudo-terminal, as a person starts it.
  it.skipIf(!existsSync('/usr/bin/script'))(
    'at a terminal: logs lines a person reads, and stops at once on Ctrl-C',
    async () => {
      // `exec`: the server, not a shell waiting for it, is what Ctrl-C reaches (dash, CI's
      // /bin/sh, would die of the SIGINT itself and report 130).
      const command = `exec ${process.execPath} ${entry} --port 0 --drain-delay 60000`;
      const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, SHELL: '/bin/sh' },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      while (!output.includes('Playground page')) await once(child.stdout, 'data');
      expect(output).toMatch(/INFO.*listening/);
      expect(output).not.toContain('"msg"');
      child.stdin.write('\x03'); // Ctrl-C: no 60 s drain, as SIGTERM would have
      expect(await exitCode(child)).toBe(0);
      expect(output).toContain('stopped (Ctrl-C)');
    },
    20_000,
  );

  it('takes its flags after the `--` that `pnpm serve -- --port 0` passes on', async () => {
    const { child, listening } = start(['--', '--port', '0', '--log-level', 'info']);
    expect(await freshRequest(await listening)).toBe(200);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('keeps uploaded models across a restart; `pnpm serve -- --models ./dir` means the directory the user is in', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dendrite-home-'));
    const token = 'restart-test-admin-token';
    // As `pnpm serve` runs it: in apps/server, with the user's directory in INIT_CWD.
    const env = { npm_package_name: '@dendrite/server', INIT_CWD: home };
    const args = ['--port', '0', '--models', './models', '--admin-token', token];
    mkdirSync(join(home, 'models'));
    const first = start(args, env);
    const port = await first.listening;
    const put = await fetch(`http://127.0.0.1:${port}/v2/models/kept`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: saveModel(lectureNetwork({ seed: 2 })),
    });
    expect(put.status).toBe(201);
    expect(existsSync(join(home, 'models', 'kept', '1', 'model.json'))).toBe(true);
    first.child.kill('SIGKILL'); // not even a clean shutdown
    await exitCode(first.child);

    const second = start(args, env);
    const again = await second.listening;
    const metadata = await fetch(`http://127.0.0.1:${again}/v2/models/kept`);
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { versions: string[] }).versions).toEqual(['1']);
    second.child.kill('SIGKILL');
    await exitCode(second.child);
  });

  it('exits 2 with the usage for a bad setting', async () => {
    const { child, output } = start(['--max-batch', 'lots']);
    expect(await exitCode(child)).toBe(2);
    expect(output()).toMatch(/^dendrite-server: --max-batch \(DENDRITE_MAX_BATCH\): /);
    expect(output()).toContain('Usage: dendrite-server [options]');
  });

  it('logs an error outside any request and exits non-zero: an unreadable models directory, a busy port', async () => {
    const missing = start(['--models', '/nonexistent/models']);
    expect(await exitCode(missing.child)).toBe(1);
    expect(missing.output()).toMatch(
      /"level":60.*cannot read the model repository \/nonexistent\/models/,
    );

    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const busy = start(['--port', String((blocker.address() as AddressInfo).port)]);
    expect(await exitCode(busy.child)).toBe(1);
    expect(busy.output()).toMatch(/"level":60.*cannot listen/);
    blocker.close();
  });
});
