// What `dendrite sweep` and `dendrite sweep show` print: the settings ranked, the best and its refit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Io } from '../io.js';
import { readRows } from '../sweep/results.js';
import type { SweepSummary } from '../sweep/run.js';
import type { MetricName } from '../sweep/spec.js';
import { summarise } from '../sweep/summary.js';
import { table } from '../text.js';

/** A sweep directory's summary: its `summary.json`, or one made from the rows of an unfinished sweep. */
export async function readSummary(directory: string): Promise<SweepSummary> {
  const saved = await readFile(join(directory, 'summary.json'), 'utf8').catch(() => undefined);
  if (saved !== undefined) return JSON.parse(saved) as SweepSummary;
  const rows = await readRows(directory);
  const { metric } = JSON.parse(await readFile(join(directory, 'sweep.json'), 'utf8')) as {
    metric: SweepSummary['metric'];
  };
  return {
    metric,
    trials: rows.length,
    failed: rows.filter((row) => row.status === 'failed').length,
    settings: summarise(rows, metric.name as MetricName, metric.goal),
  };
}

/** Prints the top settings by rank, each metric as mean ± std, then the best and its refit. */
export function showSweep(io: Io, directory: string, summary: SweepSummary, top: number): void {
  const { metric, settings } = summary;
  const names = [...new Set(settings.flatMap((s) => Object.keys(s.params)))];
  const shown = [...settings]
    .sort((a, b) => a.rank - b.rank || a.setting - b.setting)
    .slice(0, top);
  const value = (mean?: number, std?: number) =>
    mean === undefined ? '–' : `${mean.toFixed(4)} ± ${(std ?? 0).toFixed(4)}`;
  const rows = [
    ['rank', ...names, metric.name, 'trials'],
    ...shown.map((s) => [
      String(s.rank),
      ...names.map((name) => String(s.params[name] ?? '')),
      value(s.mean[metric.name], s.std[metric.name]),
      s.failed > 0 ? `${s.trials} (${s.failed} failed)` : String(s.trials),
    ]),
  ];
  const lines = [
    `${directory}: ${summary.trials} trials (${summary.failed} failed), ${settings.length} setting${settings.length === 1 ? '' : 's'}, ranked by mean ${metric.name} (${metric.goal})`,
    '',
    table(rows),
  ];
  if (settings.length > shown.length)
    lines.push(`(${settings.length - shown.length} more: --top ${settings.length})`);
  if (summary.final !== undefined) {
    const { test, command } = summary.final;
    const scores =
      test === undefined
        ? 'no test rows'
        : Object.entries(test)
            .map(([k, v]) => `${k} ${v.toFixed(4)}`)
            .join(', ');
    lines.push(
      '',
      `refit     the best setting on every training row; test: ${scores}`,
      `          ${command}`,
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}
