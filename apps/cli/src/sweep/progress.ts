// A sweep's progress line on stderr: trials done, running and failed, the best so far, time left.
import type { Io } from '../io.js';
import type { TrialRow } from './results.js';

/** Tells a sweep's progress as trials start and end; `stop` ends the line. */
export interface SweepProgress {
  started(): void;
  ended(row: TrialRow): void;
  stop(): void;
}

/**
 * Progress over `total` trials of which `done` had ended before: rewritten in place on a
 * terminal, a line every twentieth of the trials otherwise; the best is by `metric` toward `goal`.
 */
export function sweepProgress(
  io: Io,
  { total, done, metric, goal }: { total: number; done: number; metric: string; goal: string },
): SweepProgress {
  const start = Date.now();
  const resumed = done;
  let [running, failed] = [0, 0];
  let best: number | undefined;
  const every = Math.max(1, Math.round(total / 20));
  const line = () => {
    const rate = (Date.now() - start) / Math.max(1, done - resumed);
    const left = done > resumed ? ` · ${clock((rate * (total - done)) / 1000)} left` : '';
    const top =
      best === undefined ? '' : ` · best trial's ${metric} ${Number(best.toPrecision(4))}`;
    return `trials ${done}/${total} done, ${running} running, ${failed} failed${top}${left}`;
  };
  const show = () => {
    if (io.stderr.isTTY) io.stderr.write(`\r${line()}\x1b[K`);
    else if (done % every === 0 || done === total) io.stderr.write(`${line()}\n`);
  };
  return {
    started() {
      running++;
      if (io.stderr.isTTY) show();
    },
    ended(row) {
      running = Math.max(0, running - 1);
      done++;
      if (row.status === 'failed') failed++;
      const value = row.metrics[metric];
      if (
        value !== undefined &&
        (best === undefined || (goal === 'minimize' ? value < best : value > best))
      )
        best = value;
      show();
    },
    stop() {
      if (io.stderr.isTTY) io.stderr.write('\n');
    },
  };
}

/** Seconds as m:ss (or h:mm:ss). */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
