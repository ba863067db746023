import {
  loadModel,
  networkMemory,
  postprocess,
  rawInputSize,
  NeuralNetworkError,
  preprocess,
  type ModelDetails,
  type Network,
  type Preprocessing,
  type Task,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { columnIndices, type MissingPolicy, type Table } from './csv.js';
import { CliError } from './errors.js';
import { readText, type Io } from './io.js';
import { checkMemory } from './memory.js';

/** A model file, loaded and checked, with the names of its raw inputs (`x1, …` when it has none). */
export interface Model {
  path: string;
  /** The model file as read (a parsed object, or its text if it is not JSON). */
  source: unknown;
  network: Network;
  preprocessing: Preprocessing;
  inputNames: string[];
  namedInputs: boolean;
  /** The target columns it was trained on, if it says. */
  targetNames: string[] | undefined;
  task: Task;
  details: ModelDetails;
  /** How many raw numbers one input takes (before preprocessing). */
  rawWidth: number;
}

/**
 * Reads a model file; an invalid one is a `CliError` that names the file and the bad field, and
 * one whose network would need more memory than allowed for `use` is refused before it is built.
 */
export async function readModel(
  path: string,
  io: Io,
  program: Command,
  use: 'load' | 'predict' = 'predict',
): Promise<Model> {
  const text = await readText(path, io);
  // Parsed once here; loadModel gets the text back when it is not a JSON object, to report it.
  let data: unknown = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object') data = parsed;
  } catch {
    // loadModel reports text that is not JSON, in one line
  }
  const shape = (data as { shape?: unknown } | null)?.shape;
  if (Array.isArray(shape) && shape.every((n) => Number.isInteger(n) && n >= 1)) {
    checkMemory(program, `${path}'s network (${shape.join('-')})`, networkMemory(shape, use));
  }
  try {
    const { network, preprocessing, names, task, details } = loadModel(data);
    const rawWidth = rawInputSize(network.inputSize, preprocessing);
    return {
      path,
      source: data,
      network,
      preprocessing,
      inputNames: names.inputs ?? Array.from({ length: rawWidth }, (_, i) => `x${i + 1}`),
      namedInputs: names.inputs !== undefined,
      targetNames: names.targets,
      task,
      details,
      rawWidth,
    };
  } catch (error) {
    if (error instanceof NeuralNetworkError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The model's outputs for raw inputs (preprocessed as the model says, and in the targets' units
 * if they were scaled); an output that is not a finite number is a `CliError` naming the input
 * as `which` calls the i-th one, e.g. `row 3`.
 */
export function predictRaw(
  model: Model,
  rows: readonly (readonly (number | string)[])[],
  which: (i: number) => string,
): number[][] {
  const { network, preprocessing } = model;
  const predicted = network.predictAll(rows.map((raw, i) => prepared(model, raw, which(i))));
  return predicted.map((row, i) => {
    const outputs = postprocess(row, preprocessing);
    const bad = outputs.find((output) => !Number.isFinite(output));
    if (bad !== undefined) {
      throw new CliError(
        `the prediction for ${which(i)} (${rows[i]!.join(', ')}) is ${bad}: ${model.path} overflows there`,
      );
    }
    return outputs;
  });
}

/**
 * A raw input as the model's network takes it (its categories one-hot, its features, its
 * normalization); a category the model has not seen is a `CliError` that names `where` it is.
 */
export function prepared(model: Model, raw: readonly (number | string)[], where: string): number[] {
  try {
    return preprocess(raw, model.preprocessing, model.inputNames);
  } catch (error) {
    if (error instanceof NeuralNetworkError) throw new CliError(`${where}: ${error.message}`);
    throw error;
  }
}

/**
 * Which columns of a table feed the model: `chosen` if given, else the model's own input names,
 * else every column but `exclude`. The count must match what the model takes.
 */
export function inputColumns(
  model: Model,
  table: Table,
  chosen?: readonly string[],
  exclude: readonly string[] = [],
): string[] {
  let names: string[];
  if (chosen !== undefined) names = [...chosen];
  else if (model.namedInputs) names = model.inputNames;
  else names = table.columns.filter((name) => !exclude.includes(name));
  columnIndices(table, names);
  if (names.length !== model.rawWidth) {
    throw new CliError(
      `${model.path} takes ${model.rawWidth} inputs, but ${names.length} columns were chosen (${names.join(', ')}); pick them with --features`,
    );
  }
  return names;
}

/** `--missing mean` with a model: one that records no training means to fill gaps with is a `CliError`. */
export function checkGapsFilled(model: Model, policy: MissingPolicy): void {
  if (policy === 'mean' && model.preprocessing.imputation === undefined) {
    throw new CliError(
      `--missing mean fills a gap with the training mean a model records, and ${model.path} records none: train it with --missing mean, or use --missing drop`,
      2,
    );
  }
}
