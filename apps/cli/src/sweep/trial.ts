// One trial, run in this process as `dendrite train` itself: the data on its stdin, its --json
// report read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { registerTrain } from '../commands/train.js';
import { runCommand } from '../errors.js';
import { addMemoryOption } from '../memory.js';
import { dataHash } from './trials.js';

/** What a trial measured: numbers only, on the fold it scored. */
export type TrialMetrics = Record<string, number>;

/** A trial that failed in a way that running it again would repeat (a bad setting, say). */
export class TrialError extends Error {}

/** The data files this process has read, by hash. */
const texts = new Map<string, string>();
let scratch: string | undefined;

/**
 * Runs `dendrite train` on the data file at `dataPath` (which must still have this hash) with a
 * trial's arguments, and resolves to its metrics; a run that fails rejects with a `TrialError`
 * holding dendrite's own message.
 */
export async function runTrial(
  args: readonly string[],
  dataPath: string,
  hash: string,
): Promise<TrialMetrics> {
  let text = texts.get(hash);
  if (text === undefined) {
    const bytes = readFileSync(dataPath);
    if (dataHash(bytes) !== hash)
      throw new TrialError(`${dataPath} has changed since the sweep began`);
    text = bytes.toString('utf8');
    texts.set(hash, text);
  }
  scratch ??= mkdtempSync(join(tmpdir(), 'dendrite-trial-'));
  return metricsOf(await trainInProcess(text, args, join(scratch, 'model.json')));
}

/** What a trial reads of `dendrite train --json`'s report. */
export interface TrainReport {
  metrics: Record<string, Record<string, unknown>>;
  history: { trainLoss: number[] };
}

/**
 * Runs `dendrite train` in this process on a CSV text with these arguments, saving the model to
 * `output`, and resolves to its --json report; rejects with a `TrialError` holding dendrite's
 * own message if it fails.
 */
export async function trainInProcess(
  text: string,
  args: readonly string[],
  output: string,
): Promise<TrainReport> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdin: Readable.from([text]),
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  };
  // (a program of its own each time: commander keeps the options it parsed)
  const program = new Command('dendrite').exitOverride().configureOutput({
    writeOut: (chunk) => io.stdout.write(chunk),
    writeErr: (chunk) => io.stderr.write(chunk),
  });
  registerTrain(addMemoryOption(program), io);
  const code = await runCommand(program, ['train', '-', ...args, '--json', '-o', output], io);
  if (code !== 0)
    throw new TrialError(stderr.replace(/^dendrite: /, '').trim() || `exit code ${code}`);
  return JSON.parse(stdout) as TrainReport;
}

/** A trial's metrics from its report: the scored fold's numbers, its training loss and epochs. */
function metricsOf(report: TrainReport): TrialMetrics {
  const metrics = numbersOf(report.metrics.test);
  metrics.trainLoss = report.metrics.train!.loss as number;
  metrics.epochs = report.history.trainLoss.length;
  return metrics;
}

/** Removes this process's scratch folder (trials write their model there). */
export function removeScratch(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
}

/** The numbers of a report's metrics (the loss, accuracy, R² and so on; not the tables). */
export function numbersOf(metrics: Record<string, unknown> = {}): TrialMetrics {
  return Object.fromEntries(
    Object.entries(metrics).filter(([, value]) => typeof value === 'number'),
  ) as TrialMetrics;
}
