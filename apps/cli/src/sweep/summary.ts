// A sweep's summary in the spirit of scikit-learn's `cv_results_`: each setting's mean, spread
// and rank over its seeds and folds.
import type { FlagValue, MetricName } from './spec.js';
import type { TrialRow } from './results.js';

/** One setting's scores over its trials. */
export interface SettingSummary {
  setting: number;
  params: Record<string, FlagValue>;
  trials: number;
  failed: number;
  /** Each metric's mean and standard deviation (over the trials that ran). */
  mean: Record<string, number>;
  std: Record<string, number>;
  /** 1 is best by the sweep's metric; equal means share a rank; a setting with a failed trial ranks last. */
  rank: number;
}

/** Every setting's summary, in the settings' order, ranked by `metric` toward `goal`. */
export function summarise(
  rows: readonly TrialRow[],
  metric: MetricName,
  goal: 'minimize' | 'maximize',
): SettingSummary[] {
  const bySetting = new Map<number, TrialRow[]>();
  for (const row of rows) {
    const group = bySetting.get(row.setting);
    if (group === undefined) bySetting.set(row.setting, [row]);
    else group.push(row);
  }
  const settings = [...bySetting.entries()]
    .sort(([a], [b]) => a - b)
    .map(([setting, group]): SettingSummary => {
      const ok = group.filter((row) => row.status === 'ok');
      const names = [...new Set(ok.flatMap((row) => Object.keys(row.metrics)))];
      const mean: Record<string, number> = {};
      const std: Record<string, number> = {};
      for (const name of names) {
        const values = ok.map((row) => row.metrics[name]!);
        const m = values.reduce((sum, x) => sum + x, 0) / values.length;
        mean[name] = m;
        std[name] = Math.sqrt(values.reduce((sum, x) => sum + (x - m) ** 2, 0) / values.length);
      }
      const { params } = group[0]!;
      return {
        setting,
        params,
        trials: group.length,
        failed: group.length - ok.length,
        mean,
        std,
        rank: 0,
      };
    });
  // Scored settings first, best first; equal scores keep the settings' order and share a rank.
  const score = (s: SettingSummary) => {
    const value = s.mean[metric];
    if (s.failed > 0 || value === undefined || Number.isNaN(value)) return Infinity;
    return goal === 'minimize' ? value : -value;
  };
  const order = [...settings].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    return x < y ? -1 : x > y ? 1 : a.setting - b.setting;
  });
  order.forEach((s, i) => {
    const previous = order[i - 1];
    s.rank = previous !== undefined && score(previous) === score(s) ? previous.rank : i + 1;
  });
  return settings;
}

/** The best setting: rank 1, the first listed among equals; undefined if none ran cleanly. */
export function bestOf(
  settings: readonly SettingSummary[],
  metric: MetricName,
): SettingSummary | undefined {
  const ranked = settings.filter((s) => s.failed === 0 && s.mean[metric] !== undefined);
  return ranked.sort((a, b) => a.rank - b.rank || a.setting - b.setting)[0];
}
