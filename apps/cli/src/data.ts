import {
  classIndices,
  encodeClass,
  encodeRow,
  fitCategories,
  NeuralNetworkError,
  type Categories,
  features as playgroundFeatures,
  guessTask,
  isOneHot,
  lectureData,
  playgroundData,
  playgroundDatasets,
  type Example,
  type Feature,
  type LayerActivation,
  type PlaygroundDataset,
  type Random,
  type Task,
} from '@dendrite/nn';
import {
  cellsOf,
  handleMissing,
  isMissing,
  numbers,
  type MissingPolicy,
  type Table,
} from './csv.js';
import { CliError } from './errors.js';

/** Labelled rows before any preprocessing, with the names of their columns and their task. */
export interface Labelled {
  /** Each row's inputs: a number per column of numbers, the text of a categorical column's cell. */
  inputs: (number | string)[][];
  inputNames: string[];
  /** The categories of the input columns, when one of them holds text (see `Categories`). */
  categories?: Categories;
  /** One target column (a class or a number), or several (one-hot classes, or numbers). */
  targetNames: string[];
  /** Each row's target cells, as text. */
  labels: string[][];
  task: Task;
  /** How many rows were dropped for missing values. */
  dropped: number;
  /** Where each row is, for messages: its line in the CSV file (or its position). */
  where: string[];
}

/** What picks a table's columns and task. */
export interface ColumnChoice {
  targets?: readonly string[];
  inputs?: readonly string[];
  /** The kind of task to read the targets as, or the task itself (a model's, with its classes). */
  task?: Task['kind'] | Task;
  missing?: MissingPolicy;
  /** The input columns' categories, a model's (default: read from the columns, for training). */
  categories?: Categories;
}

/**
 * The target and input columns of a CSV file (by default: the last column, and all the others),
 * and the task they are: classes from labels or one-hot columns, or regression. An input column
 * of text is categorical (its categories read from the file, or a model's), any other numbers.
 */
export function fromTable(table: Table, choice: ColumnChoice = {}): Labelled {
  const targetNames = [...(choice.targets ?? [table.columns[table.columns.length - 1]!])];
  const twice = targetNames.find((name, i) => targetNames.indexOf(name) !== i);
  if (twice !== undefined) throw new CliError(`--target names "${twice}" twice`, 2);
  const inputNames = choice.inputs
    ? [...choice.inputs]
    : table.columns.filter((name) => !targetNames.includes(name));
  const both = targetNames.find((name) => inputNames.includes(name));
  if (both !== undefined) {
    throw new CliError(`the target column "${both}" cannot also be an input`, 2);
  }
  if (inputNames.length === 0) throw new CliError(`${table.source} has no input columns`);
  // Filling gaps with means is for inputs: a row without its target is dropped all the same.
  const { table: complete, dropped } =
    choice.missing === 'mean'
      ? handleMissing(table, targetNames, 'drop')
      : handleMissing(table, [...targetNames, ...inputNames], choice.missing ?? 'error');
  const gaps = choice.missing === 'mean';
  const { inputs, categories } = inputsOf(complete, inputNames, choice.categories, gaps);
  const labels = cellsOf(complete, targetNames);
  return {
    inputs,
    inputNames,
    ...(categories.some((column) => column !== null) ? { categories } : {}),
    targetNames,
    labels,
    where: complete.rows.map(({ line }) => `${table.source} line ${line}`),
    task:
      typeof choice.task === 'object'
        ? checkedTask(complete, targetNames, choice.task)
        : taskOfColumns(complete, targetNames, labels, choice.task),
    dropped,
  };
}

/**
 * The input columns' values, numbers or categories, and their categories (read from the columns
 * unless given): a word in a column of numbers, or a category a model has not seen, is a
 * `CliError` that names its line and column. With `gaps`, a missing value is NaN.
 */
function inputsOf(
  table: Table,
  names: readonly string[],
  given: Categories | undefined,
  gaps: boolean,
): { inputs: (number | string)[][]; categories: Categories } {
  const cells = cellsOf(table, names);
  let categories: Categories;
  try {
    // A gap is no category: NA among colours is a missing colour.
    categories = (given ?? fitCategories(cells, names)).map(
      (column) => column && (gaps ? column.filter((cell) => !isMissing(cell)) : column),
    );
  } catch (error) {
    if (error instanceof NeuralNetworkError)
      throw new CliError(`${table.source}: ${error.message}`);
    throw error;
  }
  const columns = categories.map((column, j) => (column === null ? j : -1)).filter((j) => j >= 0);
  const values = numbers(
    table,
    columns.map((j) => names[j]!),
    gaps,
  );
  const inputs = cells.map((row, r) => {
    let k = 0;
    return row.map((cell, j) => {
      const known = categories[j];
      if (known === null || known === undefined) return values[r]![k++]!;
      if (gaps && isMissing(cell)) return NaN;
      if (!known.includes(cell)) {
        throw new CliError(
          `${table.source} line ${table.rows[r]!.line}, column "${names[j]}": ${JSON.stringify(cell)} is not one of the categories the model was trained on (${known.join(', ')})`,
        );
      }
      return cell;
    });
  });
  return { inputs, categories };
}

/** The task of the target columns: one column by its labels; several are one-hot classes or numbers. */
function taskOfColumns(
  table: Table,
  targetNames: readonly string[],
  labels: readonly string[][],
  kind: Task['kind'] | undefined,
): Task {
  if (targetNames.length === 1) {
    const task = guessTask(
      labels.map(([label]) => label!),
      kind,
    );
    if (task.kind === 'regression') numbers(table, targetNames); // every target must be a number
    if (task.kind === 'classification' && task.classes.length < 2) {
      throw new CliError(
        `${table.source}: the target "${targetNames[0]}" has one class only (${task.classes[0]}); classification needs two or more`,
      );
    }
    return task;
  }
  const oneHot = isOneHot(numbers(table, targetNames));
  if (kind === 'classification' && !oneHot) {
    throw new CliError(
      `${table.source}: several target columns are classes only when each row has one 1 and 0s elsewhere (one-hot)`,
      2,
    );
  }
  return oneHot && kind !== 'regression'
    ? { kind: 'classification', classes: [...targetNames] }
    : { kind: 'regression' };
}

/** A model's own task, once its targets are checked to fit it (numbers for regression). */
function checkedTask(table: Table, targetNames: readonly string[], task: Task): Task {
  if (task.kind === 'regression' || targetNames.length > 1) numbers(table, targetNames);
  return task;
}

/** Each row's target as a network with `outputSize` outputs and this output activation learns it. */
export function targetsFor(
  data: Labelled,
  outputSize: number,
  outputActivation: LayerActivation,
): (number | number[])[] {
  const { task, labels } = data;
  if (task.kind === 'regression') {
    return labels.map((row) => (row.length === 1 ? Number(row[0]) : row.map(Number)));
  }
  if (data.targetNames.length > 1) {
    const indices = labels.map((row) => row.findIndex((cell) => Number(cell) === 1));
    return indices.map((index) => encodeClass(index, outputSize, outputActivation));
  }
  const column = labels.map(([label]) => label!);
  const known = new Set(task.classes);
  const unknown = column.findIndex(
    (label) => !known.has(label) && !known.has(String(Number(label))),
  );
  if (unknown >= 0) {
    throw new CliError(
      `${data.where[unknown]}, column "${data.targetNames[0]}": ${JSON.stringify(column[unknown])} is not one of the classes ${task.classes.join(', ')}`,
    );
  }
  const indices = classIndices(column, task.classes);
  return indices.map((index) => encodeClass(index, outputSize, outputActivation));
}

/** The built-in data sets `dendrite train --dataset` offers. */
export const datasetNames = ['lecture', ...playgroundDatasets] as const;

/** Numeric labels of a built-in data set, as labelled rows. */
function builtIn(
  inputs: number[][],
  targets: readonly number[],
  inputNames: string[],
  targetName: string,
): Labelled {
  const labels = targets.map((t) => [String(t)]);
  return {
    inputs,
    inputNames,
    targetNames: [targetName],
    labels,
    task: guessTask(labels.map(([label]) => label!)),
    dropped: 0,
    where: labels.map((_, i) => `row ${i + 1}`),
  };
}

/** The lecture's four people, as labelled rows. */
export function lecture(): Labelled {
  return builtIn(
    lectureData.map((e) => [...e.input]),
    lectureData.map((e) => e.target),
    ['weight', 'height'],
    'female',
  );
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
  return builtIn(
    points.map((p) => [...p.input]),
    points.map((p) => p.target),
    ['x', 'y'],
    'label',
  );
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

/** Rows with their targets as examples, categories one-hot. */
export function toExamples(data: Labelled, targets: readonly (number | number[])[]): Example[] {
  const { categories } = data;
  return data.inputs.map((input, i) => ({
    input: categories === undefined ? (input as number[]) : encodeRow(input, categories),
    target: targets[i]!,
  }));
}
