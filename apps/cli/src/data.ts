import {
  features as playgroundFeatures,
  lectureData,
  playgroundData,
  playgroundDatasets,
  type Example,
  type Feature,
  type PlaygroundDataset,
  type Random,
} from '@dendrite/nn';
import { columnIndices, numbers, type Table } from './csv.js';
import { CliError } from './errors.js';

/** Labelled rows before any preprocessing, with the names of their columns. */
export interface Labelled {
  inputs: number[][];
  targets: number[];
  inputNames: string[];
  targetName: string;
}

/** Classification (two classes, labelled 0/1 or -1/1, split at `threshold`) or regression. */
export type Task =
  { kind: 'classification'; classes: [number, number]; threshold: number } | { kind: 'regression' };

/** What the targets say the task is: 0/1 or -1/1 labels are two classes; anything else is regression. */
export function taskOf(targets: readonly number[]): Task {
  if (targets.every((t) => t === 0 || t === 1)) {
    return { kind: 'classification', classes: [0, 1], threshold: 0.5 };
  }
  if (targets.every((t) => t === -1 || t === 1)) {
    return { kind: 'classification', classes: [-1, 1], threshold: 0 };
  }
  return { kind: 'regression' };
}

/** The target column and the input columns of a CSV file (by default: the last column, and all the others). */
export function fromTable(table: Table, target?: string, inputs?: readonly string[]): Labelled {
  const targetName = target ?? table.columns[table.columns.length - 1]!;
  const inputNames = inputs ? [...inputs] : table.columns.filter((name) => name !== targetName);
  if (inputNames.includes(targetName)) {
    throw new CliError(`the target column "${targetName}" cannot also be an input`, 2);
  }
  if (inputNames.length === 0) throw new CliError(`${table.source} has no input columns`);
  columnIndices(table, [targetName, ...inputNames]); // unknown names first, then bad cells
  return {
    inputs: numbers(table, inputNames),
    targets: numbers(table, [targetName]).map(([t]) => t!),
    inputNames,
    targetName,
  };
}

/** The built-in data sets `dendrite train --dataset` offers. */
export const datasetNames = ['lecture', ...playgroundDatasets] as const;

/** The lecture's four people, as labelled rows. */
export function lecture(): Labelled {
  return {
    inputs: lectureData.map((e) => [...e.input]),
    targets: lectureData.map((e) => e.target),
    inputNames: ['weight', 'height'],
    targetName: 'female',
  };
}

/** Points of a Playground generator, as labelled rows (x, y) → label, drawn from `random`. */
export function playground(
  name: PlaygroundDataset,
  options: { samples?: number; noise: number; random: Random },
): Labelled {
  const points = playgroundData(name, {
    noise: options.noise / 100,
    random: options.random,
    ...(options.samples === undefined ? {} : { samples: options.samples }),
  });
  return {
    inputs: points.map((p) => [...p.input]),
    targets: points.map((p) => p.target),
    inputNames: ['x', 'y'],
    targetName: 'label',
  };
}

/** Playground feature names, checked. */
export function checkFeatures(chosen: readonly string[]): Feature[] {
  for (const name of chosen) {
    if (!Object.hasOwn(playgroundFeatures, name)) {
      throw new CliError(
        `unknown feature "${name}"; the Playground's are ${Object.keys(playgroundFeatures).join(', ')}`,
        2,
      );
    }
  }
  return chosen as Feature[];
}

/** Rows with their targets as examples. */
export function toExamples(inputs: readonly number[][], targets: readonly number[]): Example[] {
  return inputs.map((input, i) => ({ input, target: targets[i]! }));
}
