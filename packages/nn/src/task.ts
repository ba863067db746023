import type { LayerActivation } from './activations.js';
import { NeuralNetworkError } from './errors.js';
import type { Loss } from './losses.js';

/** What a model predicts: one of some named classes, or numbers. */
export type Task = { kind: 'classification'; classes: string[] } | { kind: 'regression' };

/** A numeric target with at most this many distinct whole numbers is read as classes. */
export const maxGuessedClasses = 10;

/**
 * The task a target column implies, unless `kind` says which: labels that are not all numbers are
 * classes (sorted); 0/1 or −1/1 numbers are two classes; a few whole numbers (at most
 * `maxGuessedClasses`) are classes in numeric order; any other numbers are regression. As classes,
 * numbers are named as JavaScript prints them (`1.0` is class `1`).
 */
export function guessTask(labels: readonly string[], kind?: Task['kind']): Task {
  if (kind === 'regression') return { kind };
  const distinct = [...new Set(labels)];
  const asNumbers = distinct.map((label) => (label.trim() === '' ? NaN : Number(label)));
  if (!asNumbers.every(Number.isFinite)) {
    return { kind: 'classification', classes: distinct.sort() };
  }
  const values = [...new Set(asNumbers)].sort((a, b) => a - b);
  const few = values.length <= maxGuessedClasses && values.every(Number.isInteger);
  if (kind === undefined && (values.length < 2 || !few)) return { kind: 'regression' };
  return { kind: 'classification', classes: values.map(String) };
}

/** Each label's class index; a label that is not one of the classes is a `NeuralNetworkError`. */
export function classIndices(labels: readonly string[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((name, i) => [name, i]));
  return labels.map((label, row) => {
    const found = index.get(label) ?? index.get(String(Number(label)));
    if (found === undefined) {
      throw new NeuralNetworkError(
        `label ${JSON.stringify(label)} (row ${row + 1}) is not one of the classes ${classes.join(', ')}`,
      );
    }
    return found;
  });
}

/**
 * The output layer and loss that suit a task: two classes get one sigmoid output and binary
 * cross-entropy; more get one softmax output per class and categorical cross-entropy; regression
 * gets a linear output per target and the MSE.
 */
export function outputFor(
  task: Task,
  targetCount = 1,
): { size: number; activation: LayerActivation; loss: Loss } {
  if (task.kind === 'regression') return { size: targetCount, activation: 'linear', loss: 'mse' };
  const classes = task.classes.length;
  if (classes < 2) {
    throw new NeuralNetworkError(`classification needs two or more classes, got ${classes}`);
  }
  return classes === 2
    ? { size: 1, activation: 'sigmoid', loss: 'binaryCrossEntropy' }
    : { size: classes, activation: 'softmax', loss: 'categoricalCrossEntropy' };
}

/**
 * The target a network with `outputSize` outputs learns for class `index`: one output gives 0/1
 * (−1/1 for a tanh output) for the two classes; several give one-hot vectors.
 */
export function encodeClass(
  index: number,
  outputSize: number,
  outputActivation: LayerActivation,
): number | number[] {
  if (outputSize === 1) return outputActivation === 'tanh' ? 2 * index - 1 : index;
  return Array.from({ length: outputSize }, (_, i) => (i === index ? 1 : 0));
}

/**
 * The class a network's output says and every class's probability: one output is the second
 * class's probability (mapped from [−1, 1] for tanh, clamped to [0, 1]); several are scores, the
 * largest wins (softmax outputs are the probabilities themselves).
 */
export function decodeClass(
  output: readonly number[],
  outputActivation: LayerActivation,
): { index: number; probabilities: number[] } {
  if (output.length === 1) {
    const raw = outputActivation === 'tanh' ? (output[0]! + 1) / 2 : output[0]!;
    const p = Math.min(1, Math.max(0, raw));
    return { index: p >= 0.5 ? 1 : 0, probabilities: [1 - p, p] };
  }
  let index = 0;
  for (let i = 1; i < output.length; i++) if (output[i]! > output[index]!) index = i;
  return { index, probabilities: [...output] };
}

/** True if every row is a one-hot vector: 0s and a single 1. */
export function isOneHot(rows: readonly (readonly number[])[]): boolean {
  return rows.every(
    (row) => row.every((x) => x === 0 || x === 1) && row.filter((x) => x === 1).length === 1,
  );
}
