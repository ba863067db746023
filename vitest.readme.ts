import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Runs every TypeScript example in a package's README and checks that each line of the form
 * `console.log(…); // expected` prints exactly what its comment says, so the docs cannot rot.
 */
export function testReadmeExamples(
  packageDir: string,
  readmePath = join(packageDir, 'README.md'),
): void {
  const readme = readFileSync(readmePath, 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

  describe(`the examples in ${readmePath.split('/').slice(-2).join('/')}`, () => {
    it('exist', () => expect(blocks.length).toBeGreaterThan(0));

    it.each(blocks.map((code, i) => [i + 1, code] as const))(
      'example %i prints what its comments say',
      (_, code) => {
        const expected = [...code.matchAll(/^console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
        const calls = code.match(/console\.log\(/g)?.length ?? 0;
        expect(expected.length, 'each console.log needs `// output` on its own line').toBe(calls);
        // Inside the package, so that its own name resolves to its TypeScript source.
        const dir = mkdtempSync(join(packageDir, '.readme-'));
        try {
          const file = join(dir, 'example.ts');
          writeFileSync(file, code);
          const output = execFileSync(
            process.execPath,
            ['--import', 'tsx', '--conditions=@dendrite/source', file],
            { encoding: 'utf8' },
          );
          expect(output.trimEnd().split('\n')).toEqual(expected);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      20_000,
    );
  });
}
