import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from './cli.test-helper.js';

// The README's examples, run in order in one directory by a shell in which `dendrite` is the
// built binary: each `$ command` must exit as its output says (an error line means non-zero) and
// print the lines shown, where `…` stands for any number of lines.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const files = [...readme.matchAll(/```(?:csv|yaml) file=(\S+)\n([\s\S]*?)```/g)];
const commands = [...readme.matchAll(/```console\n([\s\S]*?)```/g)].flatMap(([, block]) =>
  block!
    .split(/^\$ /m)
    .slice(1)
    .map((part) => {
      const [command, ...output] = part.trimEnd().split('\n');
      return { command: command!, output };
    }),
);

let cwd: string;
beforeAll(async () => {
  cwd = await temporaryDirectory();
  for (const [, name, text] of files) writeFileSync(join(cwd, name!), text!);
  // Public data sets the README trains on, as committed for the tests.
  for (const name of ['iris.csv', 'breast-cancer.csv', 'names.txt']) {
    copyFileSync(
      new URL(`../../../packages/fixtures/data/${name}`, import.meta.url),
      join(cwd, name),
    );
  }
  const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  writeFileSync(join(cwd, 'dendrite'), `#!/bin/sh\nexec "${process.execPath}" "${binary}" "$@"\n`);
  chmodSync(join(cwd, 'dendrite'), 0o755);
});

describe('the README examples', () => {
  it('exist', () => expect(commands.length).toBeGreaterThan(5));

  it.each(commands.map((c) => [c.command, c] as const))('$ %s', (_, { command, output }) => {
    const failing = output.some((line) => line.startsWith('dendrite: '));
    let printed: string;
    let failed = false;
    try {
      printed = execFileSync('sh', ['-c', `${command} 2>&1`], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${cwd}:${process.env.PATH}`, NO_COLOR: '1' },
      });
    } catch (error) {
      printed = (error as { stdout: string }).stdout;
      failed = true;
    }
    expect(failed, printed).toBe(failing);
    expect(matches(printed.trimEnd().split('\n'), output), printed).toBe(true);
  });
});

/** True if the printed lines are the expected ones, each `…` standing for any number of lines. */
function matches(printed: string[], expected: string[]): boolean {
  if (expected.length === 0)
    return printed.length === 0 || (printed.length === 1 && printed[0] === '');
  const [first, ...rest] = expected;
  if (first === '…')
    return printed.some((_, i) => matches(printed.slice(i), rest)) || matches([], rest);
  return printed[0] === first && matches(printed.slice(1), rest);
}
