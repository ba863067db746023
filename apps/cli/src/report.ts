// How the CLI prints a model's metrics: one summary line, and for classes a per-class table and a
// confusion matrix with the class names.
import type { ClassificationMetrics, Metrics } from '@dendrite/nn';
import { fixed, percent, table } from './text.js';

/** True for the metrics of a classifier. */
export function isClassification(metrics: Metrics): metrics is Metrics & ClassificationMetrics {
  return 'accuracy' in metrics;
}

/** One line of metrics, e.g. `loss 0.0812  accuracy 96.7%  macro-F1 0.966`. */
export function metricsLine(metrics: Metrics, lossName: string): string {
  const parts = [`${lossName} ${fixed(metrics.loss, 6)}`];
  if (isClassification(metrics)) {
    parts.push(`accuracy ${percent(metrics.accuracy)}`, `macro-F1 ${fixed(metrics.macroF1, 3)}`);
    if (metrics.auc !== undefined) parts.push(`AUC ${fixed(metrics.auc, 3)}`);
  } else {
    const { mse, rmse, mae, r2 } = metrics;
    parts.push(
      `MSE ${short(mse)}`,
      `RMSE ${short(rmse)}`,
      `MAE ${short(mae)}`,
      `R² ${fixed(r2, 3)}`,
    );
  }
  return parts.join('  ');
}

/** The per-class table and the confusion matrix of a classifier's metrics, as lines. */
export function classTables(metrics: ClassificationMetrics): string[] {
  const names = metrics.classes.map((c) => c.name);
  const perClass = table([
    ['class', 'precision', 'recall', 'F1', 'rows'],
    ...metrics.classes.map((c) => [
      c.name,
      fixed(c.precision, 3),
      fixed(c.recall, 3),
      fixed(c.f1, 3),
      String(c.support),
    ]),
  ]);
  const confusion = table([
    ['actual \\ predicted', ...names],
    ...metrics.confusion.map((row, i) => [names[i]!, ...row.map(String)]),
  ]);
  return [perClass, '', confusion];
}

/** The class every row was predicted as, when one class took them all (a sign of a failed fit). */
export function onlyClassPredicted(metrics: Metrics): string | undefined {
  if (!isClassification(metrics)) return undefined;
  const predicted = metrics.classes.filter((_, c) => metrics.confusion.some((row) => row[c]! > 0));
  return predicted.length === 1 && metrics.classes.length > 1 ? predicted[0]!.name : undefined;
}

function short(value: number): string {
  return Number(value.toPrecision(5)).toString();
}
