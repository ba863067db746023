// A sweep on this machine: a pool of child processes, one trial each at a time.
import { performance } from 'node:perf_hooks';
import { TrialPool, TrialCrash } from './pool.js';
import { rowOf, type Outcome, type TrialRow } from './results.js';
import type { Trial } from './trials.js';

/** How many times a trial whose process dies is run before it is recorded as failed. */
export const attemptsPerTrial = 3;

/** What running a sweep's trials needs: where its data is, and what to do with each row. */
export interface SweepRun {
  trials: readonly Trial[];
  dataPath: string;
  hash: string;
  /** The command line that reruns a trial. */
  command(trial: Trial): string;
  started(trial: Trial): void;
  /** Records a finished trial's row (durably, before it resolves). */
  record(row: TrialRow): Promise<unknown>;
}

/**
 * Runs the trials on `workers` child processes: a trial whose run fails is recorded as failed
 * at once (it would fail again); one whose process dies is run again, up to `attemptsPerTrial`.
 */
export async function runLocally(run: SweepRun, workers: number): Promise<void> {
  const pool = new TrialPool(Math.min(workers, run.trials.length));
  const stop = (signal: NodeJS.Signals) => {
    pool.close();
    process.stderr.write(
      `dendrite: sweep stopped by ${signal}; the trials recorded stay: --resume runs the rest\n`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await Promise.all(
      run.trials.map(async (trial) => {
        let start = 0;
        const onStart = () => {
          if (start !== 0) return; // (counted once, however many attempts)
          start = performance.now();
          run.started(trial);
        };
        let outcome: Outcome | undefined;
        let attempts = 0;
        while (outcome === undefined) {
          attempts++;
          try {
            const metrics = await pool.run(trial.args, run.dataPath, run.hash, onStart);
            outcome = { status: 'ok', metrics };
          } catch (error) {
            const crashed = error instanceof TrialCrash && attempts < attemptsPerTrial;
            if (!crashed) outcome = { status: 'failed', error: (error as Error).message };
          }
        }
        const seconds = (performance.now() - start) / 1000;
        await run.record(rowOf(trial, run.command(trial), outcome, attempts, seconds));
      }),
    );
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    pool.close();
  }
}
