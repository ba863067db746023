import { modelSchema } from '#model-schema';
import type { z } from 'zod';
import { encodedWidth, type Categories } from './categories.js';
import type { Feature, Normalization } from './data.js';
import { NeuralNetworkError } from './errors.js';
import type { Metrics } from './evaluation.js';
import type { Loss } from './losses.js';
import type { modelFile as ModelSchema } from './model-schema.js';
import type { Task } from './task.js';

/** The model file format version this dendrite writes; it reads this one and version 1. */
export const modelFormatVersion = 2;

/** What to do to a raw input before the network sees it, and to its outputs after. */
export interface Preprocessing {
  /** The categories of each raw input column of text, one-hot encoded first (`null`: a number column). */
  categories?: Categories;
  /**
   * What fills a missing input (NaN), per number the network's features are computed from (after
   * the categories' one-hot encoding): the training examples' mean of it.
   */
  imputation?: number[];
  /** Playground features computed from a raw (x, y), in this order. */
  features?: Feature[];
  /** Applied after the features. */
  normalization?: Normalization;
  /** How the targets were scaled for training; predictions are scaled back (output · scale + mean). */
  targets?: Normalization;
}

/** How a data set was split for training, so that its held-out rows can be found again. */
export interface DataSplit {
  /** The seed of the shuffle (the `seed` of `seededRandom`). */
  seed: string;
  /** How many rows the data had, and a fingerprint of them, to know it is the same data. */
  rows: number;
  fingerprint?: string;
  /** The CSV file the rows came from, as an absolute path, for tools to find them again. */
  file?: string;
  shuffle: boolean;
  /** The fraction held out for testing, then the fraction of the rest held out for validation. */
  testFraction: number;
  validationFraction: number;
  /** Each class was split alone, so that every part has its share of every class. */
  stratified?: boolean;
  /**
   * The network was trained again on every row once the held-out rows had been scored: the
   * metrics are from before, and no row of the data is held out from the network saved.
   */
  refit?: boolean;
  /**
   * The split had a seed of its own and the refit left its test rows out: they are held out from
   * the network saved, and the test metrics are that network's.
   */
  keepsTest?: boolean;
  /** A cross-validation run: fold `index` (from 0) of `count` was scored as the test rows. */
  fold?: { count: number; index: number };
}

/** What a model file records beside the network: what it was trained for, how, and how well. */
export interface ModelDetails {
  task?: Task;
  loss?: Loss;
  /** The training settings, as the trainer chose to record them. */
  training?: Record<string, unknown>;
  /** The final metrics on each part of the data. */
  metrics?: { train?: Metrics; validation?: Metrics; test?: Metrics };
  split?: DataSplit;
}

/** What a model's raw inputs and its outputs are called, e.g. the CSV columns it was trained on. */
export interface ModelNames {
  /** One name per raw input (before preprocessing). */
  inputs?: string[];
  /** The target columns it predicts: one (a class or a number), or one per output. */
  targets?: string[];
}

/** A model file's contents: the network's shape, activations and parameters, its preprocessing, names and details. */
export type ModelFile = z.infer<typeof ModelSchema>;

/**
 * A model file's contents from JSON text or a parsed object, checked field by field: a
 * `NeuralNetworkError` names the first bad field and what was wrong.
 */
export function parseModelFile(source: unknown): ModelFile {
  let data: unknown = source;
  if (typeof source === 'string') {
    try {
      data = JSON.parse(source);
    } catch (error) {
      throw notJson(source, error as Error);
    }
  }
  const header = data as { format?: unknown; version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.format !== 'dendrite-model') {
    throw new NeuralNetworkError('not a dendrite model file (it needs "format": "dendrite-model")');
  }
  if (header.version !== 1 && header.version !== modelFormatVersion) {
    throw new NeuralNetworkError(
      `model format version ${JSON.stringify(header.version)} is not supported; this dendrite reads versions 1 and ${modelFormatVersion}`,
    );
  }
  const parsed = modelSchema().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NeuralNetworkError(`invalid model file: ${fieldName(issue.path)}: ${issue.message}`);
  }
  const file = parsed.data;
  checkCounts(file);
  return file;
}

/**
 * How many values one raw input has: 2, a point (x, y), when the preprocessing computes
 * Playground features from it; one per column when it encodes categories; otherwise the
 * network's own input size.
 */
export function rawInputSize(
  networkInputSize: number,
  { features, categories }: Preprocessing,
): number {
  if (features !== undefined) return 2;
  return categories === undefined ? networkInputSize : categories.length;
}

function checkCounts({ shape, layers, preprocessing, inputs, task }: ModelFile): void {
  const fail = (field: string, message: string) => {
    throw new NeuralNetworkError(`invalid model file: ${field}: ${message}`);
  };
  if (layers.length !== shape.length - 1) {
    fail(
      'layers',
      `has ${layers.length} layers; shape [${shape.join(', ')}] needs ${shape.length - 1}`,
    );
  }
  layers.forEach(({ weights, biases }, l) => {
    const [inputs, size] = [shape[l]!, shape[l + 1]!];
    if (weights.length !== size)
      fail(`layers[${l}].weights`, `has ${weights.length} rows; shape says ${size} neurons`);
    if (biases.length !== size)
      fail(`layers[${l}].biases`, `has ${biases.length} numbers; shape says ${size} neurons`);
    weights.forEach((row, i) => {
      if (row.length !== inputs) {
        fail(
          `layers[${l}].weights[${i}]`,
          `has ${row.length} weights; the layer has ${inputs} inputs`,
        );
      }
    });
  });
  const width = preprocessing?.features?.length ?? shape[0]!;
  if (preprocessing?.features !== undefined && width !== shape[0]) {
    fail('preprocessing.features', `gives ${width} inputs; the network takes ${shape[0]}`);
  }
  const categories = preprocessing?.categories;
  if (categories !== undefined) {
    if (preprocessing?.features !== undefined)
      fail('preprocessing.categories', 'cannot go with Playground features');
    if (encodedWidth(categories) !== shape[0])
      fail(
        'preprocessing.categories',
        `give ${encodedWidth(categories)} inputs; the network takes ${shape[0]}`,
      );
  }
  const rawWidth = rawInputSize(shape[0]!, preprocessing ?? {});
  if (inputs !== undefined && inputs.length !== rawWidth) {
    fail('inputs', `names ${inputs.length} inputs; the model takes ${rawWidth}`);
  }
  const filled = categories === undefined ? rawWidth : shape[0]!;
  const imputation = preprocessing?.imputation;
  if (imputation !== undefined && imputation.length !== filled) {
    fail('preprocessing.imputation', `has ${imputation.length} numbers; expected ${filled}`);
  }
  const outputs = shape.at(-1)!;
  for (const [field, expected] of [
    ['normalization', width],
    ['targets', outputs],
  ] as const) {
    const scaling = preprocessing?.[field];
    if (scaling === undefined) continue;
    for (const key of ['mean', 'scale'] as const) {
      if (scaling[key].length !== expected) {
        fail(
          `preprocessing.${field}.${key}`,
          `has ${scaling[key].length} numbers; expected ${expected}`,
        );
      }
    }
  }
  layers.forEach(({ activation }, l) => {
    if (activation === 'softmax' && (l !== layers.length - 1 || outputs < 2))
      fail(`layers[${l}].activation`, 'softmax is for an output layer of two or more neurons');
  });
  if (task?.kind === 'classification') {
    const k = task.classes.length;
    if (new Set(task.classes).size !== k) fail('task.classes', 'names a class twice');
    if (outputs !== k && !(k === 2 && outputs === 1))
      fail('task.classes', `names ${k} classes; the network has ${outputs} outputs`);
  }
}

/** `['layers', 1, 'weights', 0]` → `layers[1].weights[0]`. */
function fieldName(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (name, key) =>
        typeof key === 'number'
          ? `${name}[${key}]`
          : name === ''
            ? String(key)
            : `${name}.${String(key)}`,
      '',
    ) || 'the top level'
  );
}

/** A JSON syntax error in one line, with where it is: JSON.parse's own message quotes the whole file. */
function notJson(text: string, error: Error): NeuralNetworkError {
  let what = error.message.replace(/, ".*" is not valid JSON$/s, '').replace(/\s+/g, ' ');
  let index = Number(/at position (\d+)/.exec(what)?.[1] ?? NaN);
  // JSON has no NaN or Infinity, which JavaScript writes for numbers that are not finite.
  const bare = /[[:,]\s*(-?(?:NaN|Infinity))\b/.exec(text);
  if (bare !== null) {
    index = bare.index + bare[0].length - bare[1]!.length;
    what = `${bare[1]} is not a JSON number (a model's numbers must be finite)`;
  }
  if (Number.isNaN(index)) return new NeuralNetworkError(`the model file is not JSON: ${what}`);
  const before = text.slice(0, index).split('\n');
  const where = `line ${before.length}, column ${before.at(-1)!.length + 1}`;
  return new NeuralNetworkError(
    `the model file is not JSON at ${where}: ${what.replace(/ in JSON at position \d+/, '')}`,
  );
}
