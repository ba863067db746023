import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages the binary runs, in build order. */
const packages = ['../../../packages/autograd/', '../../../packages/nn/', '../'];

/**
 * Vitest global setup: brings dist/ (and the packages it imports) up to date, as the tests run
 * the built binary: each package's own `build` script (`tsc -b`, then the bundle), as `pnpm build` runs it.
 */
export default function build(): void {
  const bin = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));
  for (const path of packages) {
    const directory = new URL(path, import.meta.url);
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
