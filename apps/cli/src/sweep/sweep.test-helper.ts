import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporaryDirectory } from '../cli.test-helper.js';
import type { TrialRow } from './results.js';

const binary = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A folder with iris.csv and a spec beside it; `spec` is its YAML. */
export async function sweepFolder(spec: string, name = 'iris.yaml'): Promise<string> {
  const folder = await temporaryDirectory();
  const iris = await readFile(
    new URL('../../../../packages/fixtures/data/iris.csv', import.meta.url),
    'utf8',
  );
  await writeFile(join(folder, 'iris.csv'), iris);
  await writeFile(join(folder, name), spec);
  return folder;
}

/** A `dendrite` process started in `cwd`, a promise of its exit code and output, and its stderr so far. */
export function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [binary, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

/** A sweep directory's rows, without what depends on the run (time, host, attempts). */
export function rowsOf(
  directory: string,
): Omit<TrialRow, 'seconds' | 'host' | 'finished' | 'attempts'>[] {
  const text = readFileSync(join(directory, 'trials.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const { seconds, host, finished, attempts, ...rest } = JSON.parse(line) as TrialRow;
      void [seconds, host, finished, attempts];
      return rest;
    });
}

/** The refit model a sweep directory holds, as text. */
export function modelOf(directory: string): string {
  return readFileSync(join(directory, 'model.json'), 'utf8');
}

/** How many rows a sweep directory holds now (0 before its file exists). */
export function rowCount(directory: string): number {
  try {
    return readFileSync(join(directory, 'trials.jsonl'), 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** The process ids of a process's children (from /proc). */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** Waits until `ready()` holds, checking every 50 ms. */
export async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await sleep(50);
}

/** A grid of 2 × 2 settings, 1 seed, 3 folds: 12 trials of `epochs` epochs. */
export function smallSpec(epochs: number, extra = ''): string {
  return `data: iris.csv
target: species
metric: { name: accuracy }
fixed: { epochs: ${epochs}, patience: 0 }
parameters:
  learning-rate: { values: [0.01, 0.03] }
  layers: { values: ["4", "8"] }
cv: { folds: 3, seed: 7 }
${extra}`;
}

export type { ChildProcess };
