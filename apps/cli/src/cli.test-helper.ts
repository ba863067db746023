import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

const binary = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** What one run of the built `dendrite` binary did. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `dendrite` binary as a user would, in `cwd`, with `input` on stdin. */
export function dendrite(
  args: string[],
  { cwd, input = '' }: { cwd?: string; input?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A fresh temporary directory, removed after the test file. */
export async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'dendrite-cli-'));
  afterAll(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** The lecture's table as a CSV file's text, with a name column that is not a number. */
const peopleCsv =
  'name,weight,height,female\nAlice,-2,-1,1\nBob,25,6,0\nCharlie,17,4,0\nDiana,-15,-6,1\n';

/** Arguments that train the lecture's network on `peopleCsv` as the lecture does. */
export const lectureTraining = [
  '--features',
  'weight,height',
  '--layers',
  '2',
  '--activation',
  'sigmoid',
  '--init',
  'normal',
  '--epochs',
  '1000',
  '--learning-rate',
  '0.1',
  '--batch-size',
  '1',
  '--test-split',
  '0',
  '--no-normalize',
  '--loss',
  'mse',
];

/** Checks a failed run: its exit code, one clear message on stderr, no stack trace, nothing on stdout. */
export function expectFailure(run: Run, code: 1 | 2, message: string | RegExp): void {
  expect(run.stderr).toMatch(message);
  // dendrite's own message is one line (commander may add a usage hint after it).
  const line = run.stderr.split('\n').findIndex((text) => text.startsWith('dendrite: '));
  if (line >= 0)
    expect(run.stderr.split('\n')[line + 1] ?? '', run.stderr).toMatch(/^(\(add --help.*)?$/);
  expect(run.code).toBe(code);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

/**
 * A temporary directory with `people.csv` and the given files; with `trained`, also `model.json`,
 * the lecture's network trained on `people.csv` as the lecture trains it.
 */
export async function workspace(
  files: Record<string, string> = {},
  { trained = false } = {},
): Promise<string> {
  const cwd = await temporaryDirectory();
  for (const [name, text] of Object.entries({ 'people.csv': peopleCsv, ...files })) {
    await writeFile(join(cwd, name), text);
  }
  if (trained) {
    const run = await dendrite(['train', 'people.csv', ...lectureTraining, '-q'], { cwd });
    expect(run.stderr).toBe('');
  }
  return cwd;
}

/** Runs `dendrite train … --json` in `cwd`, which must succeed with nothing on stderr; its report. */
export async function trainReport(args: string[], cwd: string) {
  const run = await dendrite(['train', ...args, '--json'], { cwd });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}
