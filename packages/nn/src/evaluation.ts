import { denormalize, targetsOf, type Example, type Normalization } from './data.js';
import { NeuralNetworkError } from './errors.js';
import type { Loss } from './losses.js';
import { lossFunction, scoreRows } from './loss-function.js';
import type { Network } from './network.js';
import { decodeClass, type Task } from './task.js';
import { checkLoss } from './train-options.js';

/** How well one class is found: of the rows predicted as it, how many are it, and so on. */
export interface ClassMetrics {
  name: string;
  /** Of the rows predicted as this class, the fraction that are (0 when none are predicted). */
  precision: number;
  /** Of the rows of this class, the fraction predicted as it (0 when there are none). */
  recall: number;
  /** The harmonic mean of precision and recall. */
  f1: number;
  /** How many rows are of this class. */
  support: number;
}

/** A classifier's scores on some rows. */
export interface ClassificationMetrics {
  accuracy: number;
  /** The mean of the classes' F1 scores, each class counting the same. */
  macroF1: number;
  classes: ClassMetrics[];
  /** `confusion[actual][predicted]`: how many rows of each class were predicted as each class. */
  confusion: number[][];
  /** The area under the ROC curve of the second class's probability (two classes only). */
  auc?: number;
}

/** A regression's errors on some rows, in the targets' own units (averaged over targets). */
export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  /** The coefficient of determination, 1 − SSE / SST (1 is perfect; 0 is as good as the mean). */
  r2: number;
}

/** The scores of a classification from the actual and predicted class of each row. */
export function classificationMetrics(
  actual: readonly number[],
  predicted: readonly number[],
  classes: readonly string[],
  /** Each row's probability of the second class, for the AUC of a two-class task. */
  scores?: readonly number[],
): ClassificationMetrics {
  if (actual.length === 0) throw new NeuralNetworkError('metrics need at least one row');
  const k = classes.length;
  const confusion = Array.from({ length: k }, () => Array<number>(k).fill(0));
  actual.forEach((a, i) => confusion[a]![predicted[i]!]!++);
  const perClass = classes.map((name, c) => {
    const hits = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, n) => s + n, 0);
    const predictedAs = confusion.reduce((s, row) => s + row[c]!, 0);
    const precision = predictedAs === 0 ? 0 : hits / predictedAs;
    const recall = support === 0 ? 0 : hits / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { name, precision, recall, f1, support };
  });
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0);
  const metrics: ClassificationMetrics = {
    accuracy: correct / actual.length,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / k,
    classes: perClass,
    confusion,
  };
  if (k === 2 && scores !== undefined) {
    metrics.auc = rocAuc(
      scores,
      actual.map((a) => a === 1),
    );
  }
  return metrics;
}

/**
 * The area under the ROC curve: the chance that a random positive scores above a random negative,
 * ties counting half (NaN without both kinds).
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((score, i) => ({ score, positive: positive[i]! }));
  order.sort((a, b) => a.score - b.score);
  const positives = order.filter((o) => o.positive).length;
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  // Mann–Whitney: the sum of the positives' ranks, tied scores sharing their mean rank.
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && order[end]!.score === order[start]!.score) end++;
    const meanRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (order[i]!.positive) rankSum += meanRank;
    start = end;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The errors of predictions against targets, one row per example, averaged over the targets. */
export function regressionMetrics(
  predictions: readonly (readonly number[])[],
  targets: readonly (readonly number[])[],
): RegressionMetrics {
  const n = targets.length;
  if (n === 0) throw new NeuralNetworkError('metrics need at least one row');
  const columns = targets[0]!.length;
  let [mse, mae, r2] = [0, 0, 0];
  for (let j = 0; j < columns; j++) {
    const mean = targets.reduce((s, t) => s + t[j]!, 0) / n;
    let [squares, absolutes, total] = [0, 0, 0];
    targets.forEach((t, i) => {
      const error = t[j]! - predictions[i]![j]!;
      squares += error * error;
      absolutes += Math.abs(error);
      total += (t[j]! - mean) ** 2;
    });
    mse += squares / n / columns;
    mae += absolutes / n / columns;
    // As scikit-learn: a constant target scores 1 if predicted exactly, else 0.
    r2 += (total === 0 ? (squares === 0 ? 1 : 0) : 1 - squares / total) / columns;
  }
  return { mse, rmse: Math.sqrt(mse), mae, r2 };
}

/** A model's loss and its task's metrics on some examples. */
export type Metrics = { loss: number } & (ClassificationMetrics | RegressionMetrics);

/**
 * The loss and the task's metrics of a network on prepared examples (inputs as the network sees
 * them, targets as it learns them); regression metrics are in the targets' units, undoing
 * `targetScaling` if the targets were scaled for training.
 */
export function taskMetrics(
  network: Network,
  examples: readonly Example[],
  { task, loss, targetScaling }: { task: Task; loss: Loss; targetScaling?: Normalization },
): Metrics {
  // The loss and the outputs in one pass, from one compiled function.
  checkLoss(network, loss);
  const outputs: number[][] = [];
  const lossValue = scoreRows(lossFunction(network, loss), examples, outputs);
  const targets = examples.map((e) => [...targetsOf(e)]);
  if (task.kind === 'regression') {
    const unscale = (rows: number[][]) =>
      targetScaling === undefined ? rows : rows.map((row) => denormalize(row, targetScaling));
    return { loss: lossValue, ...regressionMetrics(unscale(outputs), unscale(targets)) };
  }
  const activation = network.activations.at(-1)!;
  const decoded = outputs.map((output) => decodeClass(output, activation));
  const actual = targets.map((target) => decodeClass(target, activation).index);
  return {
    loss: lossValue,
    ...classificationMetrics(
      actual,
      decoded.map((d) => d.index),
      task.classes,
      decoded.map((d) => d.probabilities[1]!),
    ),
  };
}
