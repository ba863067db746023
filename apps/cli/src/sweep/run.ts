// A sweep from its spec to its directory: the trials listed, run (here or on a queue), recorded
// once each, summarised, and the best setting trained again and tested.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { json } from '../text.js';
import { runLocally, type SweepRun } from './local.js';
import { sweepProgress } from './progress.js';
import { Results, type TrialRow } from './results.js';
import { loadSpec, metricGoals, type Spec } from './spec.js';
import { numbersOf, trainInProcess, type TrainReport } from './trial.js';
import { bestOf, summarise, type SettingSummary } from './summary.js';
import { commandLine, dataHash, listTrials, settingArgs, type Trial } from './trials.js';

/** How to run a sweep, from `dendrite sweep`'s options. */
export interface SweepOptions {
  out: string;
  workers: number;
  queue?: string;
  resume: boolean;
}

/** What `DIR/summary.json` holds. */
export interface SweepSummary {
  metric: { name: string; goal: 'minimize' | 'maximize' };
  trials: number;
  failed: number;
  settings: SettingSummary[];
  best?: SettingSummary;
  /** The best setting trained again on every training row, and its scores on the test rows. */
  final?: { command: string; model: string; test?: Record<string, number> };
}

/** Runs the sweep a spec describes into `options.out`; resolves to its summary. */
export async function runSweep(
  specPath: string,
  options: SweepOptions,
  trainFlags: ReadonlySet<string>,
  io: Io,
): Promise<SweepSummary> {
  const spec = await loadSpec(specPath, trainFlags);
  const bytes = await readFile(spec.dataPath).catch(() => {
    throw new CliError(
      `cannot read the sweep's data ${spec.dataPath} (data is relative to the spec's folder)`,
    );
  });
  const hash = dataHash(bytes);
  const trials = listTrials(spec, hash);
  const { out } = options;
  const goal = spec.metric.goal ?? metricGoals[spec.metric.name];
  await mkdir(out, { recursive: true });
  await checkSameSweep(out, trials, options.resume);
  const results = await Results.open(out, options.resume);
  await writeAtomically(join(out, basename(specPath)), spec.text);
  await writeAtomically(
    join(out, 'sweep.json'),
    json({
      spec: basename(specPath),
      data: { path: spec.data, hash, bytes: bytes.length },
      metric: { name: spec.metric.name, goal },
      keys: trials.map((t) => t.key),
    }),
  );
  const missing = trials.filter((trial) => !results.rows.has(trial.key));
  const progress = sweepProgress(io, {
    total: trials.length,
    done: trials.length - missing.length,
    metric: spec.metric.name,
    goal,
  });
  const sweep: SweepRun = {
    trials: missing,
    dataPath: spec.dataPath,
    hash,
    command: (trial) => commandLine(spec.data, trial.args),
    started: () => progress.started(),
    record: async (row: TrialRow) => {
      if (await results.record(row)) progress.ended(row);
    },
  };
  try {
    if (options.queue === undefined) await runLocally(sweep, options.workers);
    else await (await import('./queue.js')).runOnQueue(sweep, options.queue, bytes);
  } finally {
    progress.stop();
  }
  const rows = await results.finish();
  const measured = rows.find((row) => row.status === 'ok')?.metrics;
  if (measured !== undefined && !(spec.metric.name in measured)) {
    throw new CliError(
      `the trials measured no ${spec.metric.name} (they measured ${Object.keys(measured).join(', ')}): give one of those as metric.name, then --resume to rank them again`,
    );
  }
  const settings = summarise(rows, spec.metric.name, goal);
  const best = bestOf(settings, spec.metric.name);
  const summary: SweepSummary = {
    metric: { name: spec.metric.name, goal },
    trials: rows.length,
    failed: rows.filter((row) => row.status === 'failed').length,
    settings,
    ...(best === undefined ? {} : { best }),
  };
  if (spec.refit && best !== undefined) summary.final = await refit(spec, best, out, bytes);
  await writeAtomically(join(out, 'summary.json'), json(summary));
  return summary;
}

/** Refuses to resume a directory whose trials were another spec's or another data's. */
async function checkSameSweep(
  out: string,
  trials: readonly Trial[],
  resume: boolean,
): Promise<void> {
  if (!resume) return;
  const text = await readFile(join(out, 'sweep.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const { keys } = JSON.parse(text) as { keys: string[] };
  if (keys.join() !== trials.map((t) => t.key).join()) {
    throw new CliError(
      `${out} holds a sweep of another spec or other data (its trials differ): give another --out`,
    );
  }
}

/**
 * The best setting trained again as `dendrite train` does with the sweep's split seed: on every
 * row the trials could see, then scored once on the test rows none of them saw.
 */
async function refit(
  spec: Spec & { folder: string },
  best: SettingSummary,
  out: string,
  bytes: Buffer,
): Promise<NonNullable<SweepSummary['final']>> {
  const args = [
    ...settingArgs(spec, best.params),
    ...['--seed', String(spec.seeds[0]), '--split-seed', String(spec.cv.seed)],
  ];
  const model = join(out, 'model.json');
  let report: TrainReport;
  try {
    report = await trainInProcess(bytes.toString('utf8'), args, model);
  } catch (error) {
    throw new CliError(`the refit of the best setting failed: ${(error as Error).message}`);
  }
  const test = report.metrics.test;
  return {
    command: commandLine(spec.data, [...args, '-o', relative(spec.folder, model)]),
    model: 'model.json',
    ...(test === undefined ? {} : { test: numbersOf(test) }),
  };
}
