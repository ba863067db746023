// The workers' image and manifest cannot run here; this checks that what they say (the command,
// its flags, the queue's address) is what the CLI and the manifest's Redis accept.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createProgram } from '../program.js';
import { redisOptions } from '../sweep/queue.js';

const file = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    ports?: { port: number }[];
    template?: { spec: { containers: { image: string; args: string[] }[] } };
  };
}

describe("the sweep workers' deployment", () => {
  const manifests = parseAllDocuments(file('../../../server/deploy/sweep-workers.yaml')).map(
    (document) => document.toJS() as Manifest,
  );

  it('runs dendrite worker with flags it takes, on the Redis the manifest serves', () => {
    const workers = manifests.find((m) => m.metadata.name === 'dendrite-sweep-worker')!;
    const [container] = workers.spec.template!.spec.containers;
    expect(container!.image).toMatch(/dendrite-cli/);
    const [command, ...flags] = container!.args;
    const worker = createProgram({
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
    }).commands.find((c) => c.name() === command)!;
    const known = worker.options.map((option) => option.long);
    for (const flag of flags.filter((f) => f.startsWith('--'))) expect(known).toContain(flag);
    const queue = redisOptions(flags[flags.indexOf('--queue') + 1]!);
    const redis = manifests.find((m) => m.kind === 'Service' && m.metadata.name === queue.host)!;
    expect(redis.spec.ports!.map((p) => p.port)).toContain(queue.port);
  });

  it('has a multi-stage, non-root Dockerfile whose entry point is the built CLI', () => {
    const dockerfile = file('../../Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/--filter @dendrite\/cli deploy --prod/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/main.js"\]$/m);
    expect(existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))).toBe(true);
  });
});
