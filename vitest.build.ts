import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * For a Vitest global setup, when a package's tests run its built JavaScript: brings the dist/
 * of the engine, of `@dendrite/nn` and of the package at `packageDir` up to date, in that order,
 * each by its own `build` script, as `pnpm build` runs it.
 */
export function buildWithDependencies(packageDir: URL): void {
  const root = new URL('./', import.meta.url);
  const bin = fileURLToPath(new URL('node_modules/.bin', root));
  for (const directory of [
    new URL('packages/autograd/', root),
    new URL('packages/nn/', root),
    packageDir,
  ]) {
    const { scripts } = JSON.parse(readFileSync(new URL('package.json', directory), 'utf8')) as {
      scripts: { build: string };
    };
    execSync(scripts.build, {
      cwd: directory,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    });
  }
}
