// The Dockerfile and the Kubernetes manifests cannot run here; this checks that what they say
// (ports, probe paths, flags, environment variables, the drain) is what the server accepts.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig, settings, type Config } from './config.js';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const file = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const manifests = ['../deploy/deployment.yaml', '../deploy/kserve.yaml'].flatMap((path) =>
  parseAllDocuments(file(path)).map((document) => document.toJS() as Manifest),
);
const environmentNames = new Set(Object.values(settings).map(([, variable]) => variable as string));

interface Manifest {
  kind: string;
  spec: { template?: { spec: PodSpec }; predictor?: PodSpec };
}
interface PodSpec {
  containers: Container[];
  volumes: { name: string }[];
  terminationGracePeriodSeconds?: number;
}
interface Container {
  args: string[];
  ports: { containerPort: number; name?: string }[];
  env: { name: string; value?: string }[];
  readinessProbe: { httpGet: { path: string; port: number | string } };
  livenessProbe: { httpGet: { path: string; port: number | string } };
  volumeMounts: { name: string; mountPath: string }[];
}
const podSpecs: PodSpec[] = manifests.flatMap((m) =>
  m.kind === 'Deployment'
    ? [m.spec.template!.spec]
    : m.kind === 'InferenceService'
      ? [m.spec.predictor!]
      : [],
);

/** The configuration a container runs with: its environment, then its flags, as the server reads them. */
const configOf = (container: Container) =>
  parseConfig(
    container.args,
    Object.fromEntries(
      container.env.map(({ name, value }) => [name, value ?? 'a-secret-of-some-length']),
    ),
  ) as Config;

const { call } = testServer(() => ({ models: new Map([['lecture', lectureModel()]]) }));

describe('the deployment files', () => {
  it('find a Deployment and a KServe InferenceService', () => {
    expect(podSpecs).toHaveLength(2);
  });

  it.each(podSpecs.map((spec, i) => [i === 0 ? 'Deployment' : 'InferenceService', spec] as const))(
    "the %s's container uses the server's flags, variables, port and probe paths",
    async (_, spec) => {
      const [container] = spec.containers;
      const config = configOf(container!);
      for (const { name } of container!.env) expect(environmentNames).toContain(name);
      expect(container!.ports.map((p) => p.containerPort)).toEqual([config.port]);
      expect(config.host).toBe('0.0.0.0');
      expect(config.modelsDir).toBeDefined();
      const named = (port: number | string) =>
        typeof port === 'number'
          ? port
          : container!.ports.find((p) => p.name === port)!.containerPort;
      for (const probe of [container!.readinessProbe, container!.livenessProbe]) {
        expect(named(probe.httpGet.port)).toBe(config.port);
        expect((await call('GET', probe.httpGet.path)).status).toBe(200);
      }
      // Kubernetes waits this long after SIGTERM before it kills: longer than the drain and the
      // time in-flight requests get (30 s by default when unset).
      const grace = (spec.terminationGracePeriodSeconds ?? 30) * 1000;
      expect(config.drainDelay).toBeLessThan(config.shutdownTimeout);
      expect(config.shutdownTimeout).toBeLessThan(grace);
      const mounts = (
        container as unknown as { volumeMounts: { name: string; mountPath: string }[] }
      ).volumeMounts;
      expect(mounts.find((m) => m.mountPath === config.modelsDir)?.name).toBe(
        spec.volumes[0]!.name,
      );
    },
  );

  it('has a multi-stage, non-root Dockerfile whose port and variables the server reads', () => {
    const dockerfile = file('../Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/--prod/);
    expect(dockerfile).toMatch(/^USER node$/m);
    const env = Object.fromEntries(
      [...dockerfile.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)(?:\s*\\)?$/gm)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    for (const name of Object.keys(env))
      if (name !== 'NODE_ENV') expect(environmentNames).toContain(name);
    const config = parseConfig([], env) as Config;
    expect(dockerfile).toContain(`EXPOSE ${config.port}`);
    expect(config.modelsDir).toBe('/models');
    // The built server, with Node alone; a manifest's `args` are its flags (no CMD to replace).
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/server.js"\]$/m);
    expect(dockerfile).not.toMatch(/^CMD /m);
    const pkg = JSON.parse(file('../package.json')) as {
      scripts: Record<string, string>;
      files: string[];
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('node dist/server.js');
    expect(pkg.files).toContain('dist');
    for (const compiler of ['tsx', 'esbuild', 'typescript']) {
      expect(Object.keys(pkg.dependencies)).not.toContain(compiler);
    }
    expect(existsSync(fileURLToPath(new URL('../dist/server.js', import.meta.url)))).toBe(true);
  });
});
