import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dendrite, expectFailure } from './cli.test-helper.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const commands = ['demo', 'train', 'predict', 'eval', 'inspect', 'graph', 'playground'];

describe('dendrite', () => {
  it('prints its version', async () => {
    const run = await dendrite(['--version']);
    expect([run.code, run.stdout]).toEqual([0, `${version}\n`]);
  });

  it('lists every command, with examples and the exit codes', async () => {
    const run = await dendrite(['--help']);
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain(
      'Exit codes: 0 done, 1 the input or the run failed, 2 the command line was wrong.',
    );
  });

  it.each(commands)('%s --help explains it with examples', async (command) => {
    const run = await dendrite([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: dendrite ${command} [options]`);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n  \\$ dendrite ${command}\\b`));
  });

  it('shows the help and exits 2 when run without a command, or with an unknown one', async () => {
    const bare = await dendrite([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: dendrite');
    expectFailure(await dendrite(['frobnicate']), 2, "error: unknown command 'frobnicate'");
  });

  it('stops quietly when the reader of its output goes away (dendrite … | head)', async () => {
    const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const args = ['playground', '#seed=1', '--no-image', '--epochs', '3000'];
    const child = spawn(process.execPath, [binary, ...args]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
