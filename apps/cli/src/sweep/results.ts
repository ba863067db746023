// A sweep's results file, `trials.jsonl`: one JSON row per trial, appended durably as trials
// finish, each key at most once, in the trials' order once the sweep is done.
import { hostname } from 'node:os';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { writeAtomically } from '../io.js';
import type { TrialMetrics } from './trial.js';
import type { Trial } from './trials.js';

/** One trial's row. `seconds`, `host` and `finished` depend on the run, the rest on the trial. */
export interface TrialRow extends Pick<
  Trial,
  'key' | 'index' | 'setting' | 'params' | 'seed' | 'fold'
> {
  status: 'ok' | 'failed';
  metrics: TrialMetrics;
  error?: string;
  /** How many times it was run (more than once after a crash). */
  attempts: number;
  /** The command that reruns it, from the spec's folder. */
  command: string;
  seconds: number;
  node: string;
  platform: string;
  host: string;
  finished: string;
}

/** How a trial ended, as a row records it. */
export type Outcome = { status: 'ok'; metrics: TrialMetrics } | { status: 'failed'; error: string };

/** The row of a trial that ended so, after `attempts` runs taking `seconds` in all. */
export function rowOf(
  trial: Trial,
  command: string,
  outcome: Outcome,
  attempts: number,
  seconds: number,
  host = hostname(),
): TrialRow {
  const { key, index, setting, params, seed, fold } = trial;
  return {
    key,
    index,
    setting,
    params,
    seed,
    fold,
    ...(outcome.status === 'ok'
      ? { status: 'ok', metrics: outcome.metrics }
      : { status: 'failed', metrics: {}, error: outcome.error }),
    attempts,
    command,
    seconds: Math.round(seconds * 1000) / 1000,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    host,
    finished: new Date().toISOString(),
  };
}

/** The rows of a sweep directory, and appends to them. */
export class Results {
  readonly rows = new Map<string, TrialRow>();
  #file: FileHandle | undefined;
  #writing: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  /**
   * Opens `DIR/trials.jsonl`: new, or on `resume` the rows already there. A torn last line (a
   * coordinator killed mid-write) is dropped; an unfinished sweep is refused without `resume`.
   */
  static async open(directory: string, resume: boolean): Promise<Results> {
    const results = new Results(join(directory, 'trials.jsonl'));
    const text = await readFile(results.path, 'utf8').catch(() => '');
    if (text !== '' && !resume) {
      throw new CliError(
        `${directory} already holds a sweep's trials: add --resume to finish it, or give another --out`,
      );
    }
    const { rows, bytes } = parseRows(text, results.path);
    for (const row of rows) results.rows.set(row.key, row);
    results.#file = await open(results.path, 'a');
    await results.#file.truncate(bytes);
    return results;
  }

  /** Appends a row and syncs it to disk; a key already recorded is not recorded again. */
  record(row: TrialRow): Promise<boolean> {
    const done = this.#writing.then(async () => {
      if (this.rows.has(row.key)) return false;
      await this.#file!.write(`${JSON.stringify(row)}\n`);
      await this.#file!.datasync();
      this.rows.set(row.key, row);
      return true;
    });
    this.#writing = done.catch(() => undefined);
    return done;
  }

  /** Rewrites the file with the rows in the trials' order (atomically), and closes it. */
  async finish(): Promise<TrialRow[]> {
    await this.#writing;
    await this.#file?.close();
    const rows = [...this.rows.values()].sort((a, b) => a.index - b.index);
    await writeAtomically(this.path, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    return rows;
  }

  /** Closes the file, leaving it as it is (to resume). */
  async close(): Promise<void> {
    await this.#writing;
    await this.#file?.close();
    this.#file = undefined;
  }
}

/** The rows of a finished or unfinished sweep directory, read only. */
export async function readRows(directory: string): Promise<TrialRow[]> {
  const path = join(directory, 'trials.jsonl');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new CliError(`${directory} holds no sweep (no trials.jsonl)`);
  });
  const { rows } = parseRows(text, path);
  return rows.sort((a, b) => a.index - b.index);
}

/**
 * The rows of a `trials.jsonl` text and the bytes of its whole lines. A last line without its
 * newline is torn (its writer was killed mid-row): it is left out, and its trial runs again.
 */
function parseRows(text: string, path: string): { rows: TrialRow[]; bytes: number } {
  const rows: TrialRow[] = [];
  const lines = text.split('\n');
  const whole = lines.slice(0, -1);
  whole.forEach((line, i) => {
    if (line === '') return;
    try {
      rows.push(JSON.parse(line) as TrialRow);
    } catch {
      throw new CliError(`${path}: line ${i + 1} is not a trial's row`);
    }
  });
  return { rows, bytes: whole.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0) };
}
