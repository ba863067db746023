// The sweep bench's folder (its data, specs and a plain loop to calibrate against) and what it
// does with the built CLI there: start a command, time it, read a sweep's rows.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const fixtures = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/data/${name}`, import.meta.url));

/** A temporary folder with iris.csv, breast-cancer.csv, the sweep specs and loop.js. */
export class SweepFolder {
  readonly path = mkdtempSync(join(tmpdir(), 'dendrite-sweep-bench-'));

  constructor(readonly cli: string) {
    for (const name of ['iris.csv', 'breast-cancer.csv'])
      copyFileSync(fixtures(name), this.#at(name));
    const spec = readFileSync(fixtures('iris-sweep.yaml'), 'utf8');
    writeFileSync(this.#at('iris.yaml'), spec);
    writeFileSync(this.#at('one-epoch.yaml'), spec.replace('epochs: 100', 'epochs: 1'));
    writeFileSync(
      this.#at('poisoned.yaml'),
      spec.replace(
        "layers: { values: ['8', '16', '16,16'] }",
        "layers: { values: ['8', '16'] }\n  loss: { values: [categoricalCrossEntropy, binaryCrossEntropy] }",
      ),
    );
    writeFileSync(
      this.#at('cancer.yaml'),
      `data: breast-cancer.csv
target: diagnosis
fixed: { epochs: 60, patience: 0, layers: '32' }
parameters: { learning-rate: { values: [0.003, 0.01] } }
cv: { folds: 4, seed: 3 }
`,
    );
    // What this machine's cores give: a plain Float64Array loop.
    writeFileSync(
      this.#at('loop.js'),
      `const n = 256, a = new Float64Array(n * n).map((_, i) => (i % 7) / 7), x = new Float64Array(n).fill(1);
for (let r = 0; r < 4000; r++) for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += a[i * n + j] * x[j]; x[(r + i) % n] = 1 + s * 1e-9; }`,
    );
  }

  #at(name: string): string {
    return join(this.path, name);
  }

  /** A `dendrite` process in the folder. */
  start(args: string[]): { child: ChildProcess; done: Promise<number | null> } {
    const child = spawn(process.execPath, [this.cli, ...args], { cwd: this.path, stdio: 'ignore' });
    return { child, done: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
  }

  /** Runs `dendrite` to the end; its exit code and wall time in seconds. */
  async timed(args: string[]): Promise<{ code: number | null; seconds: number }> {
    const begin = performance.now();
    const code = await this.start(args).done;
    return { code, seconds: (performance.now() - begin) / 1000 };
  }

  /** Runs `count` copies of the plain loop at once; the wall time in seconds. */
  async loops(count: number): Promise<number> {
    const begin = performance.now();
    const run = () =>
      new Promise((resolve) => spawn(process.execPath, [this.#at('loop.js')]).on('close', resolve));
    await Promise.all(Array.from({ length: count }, run));
    return (performance.now() - begin) / 1000;
  }

  /** A sweep directory's rows, parsed. */
  rows(out: string): Record<string, unknown>[] {
    return readFileSync(join(this.path, out, 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** How many rows a sweep directory holds now. */
  rowCount(out: string): number {
    const path = join(this.path, out, 'trials.jsonl');
    return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
  }

  /**
   * Whether a sweep's rows, without what depends on the run (seconds, host, time, attempts),
   * and its model equal another's; with the rows' and keys' counts and the runs in all.
   */
  verdict(out: string, reference: string): string {
    const stable = (dir: string) =>
      this.rows(dir).map(({ seconds, host, finished, attempts, ...rest }) => {
        void [seconds, host, finished, attempts];
        return JSON.stringify(rest);
      });
    const got = this.rows(out);
    const same = JSON.stringify(stable(out)) === JSON.stringify(stable(reference));
    const model = (dir: string) => readFileSync(join(this.path, dir, 'model.json'), 'utf8');
    const models = existsSync(join(this.path, out, 'model.json'))
      ? `, model ${model(out) === model(reference) ? 'identical' : 'DIFFERENT'}`
      : '';
    const runs = got.reduce((sum, row) => sum + (row.attempts as number), 0);
    return `${got.length} rows, ${new Set(got.map((row) => row.key)).size} distinct keys, ${same ? 'identical to' : 'DIFFERENT from'} the undisturbed rows${models}; ${runs} runs`;
  }

  /** Removes the folder. */
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** The process ids of a process's children (from /proc). */
export function childrenOf(pid: number): number[] {
  const path = `/proc/${pid}/task/${pid}/children`;
  const text = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** Waits until `ready()` holds. */
export async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await sleep(20);
}

/** The middle of some numbers. */
export const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
