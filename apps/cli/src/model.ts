import {
  loadModel,
  rawInputSize,
  NeuralNetworkError,
  preprocess,
  type Network,
  type Preprocessing,
} from '@dendrite/nn';
import { columnIndices, type Table } from './csv.js';
import { CliError } from './errors.js';
import { readText, type Io } from './io.js';

/** A model file, loaded and checked, with the names of its raw inputs (`x1, …` when it has none). */
export interface Model {
  path: string;
  network: Network;
  preprocessing: Preprocessing;
  inputNames: string[];
  namedInputs: boolean;
  targetName: string | undefined;
  /** How many raw numbers one input takes (before preprocessing). */
  rawWidth: number;
}

/** Reads a model file; an invalid one is a `CliError` that names the file and the bad field. */
export async function readModel(path: string, io: Io): Promise<Model> {
  const text = await readText(path, io);
  try {
    const { network, preprocessing, names } = loadModel(text);
    const rawWidth = rawInputSize(network.inputSize, preprocessing);
    return {
      path,
      network,
      preprocessing,
      inputNames: names.inputs ?? Array.from({ length: rawWidth }, (_, i) => `x${i + 1}`),
      namedInputs: names.inputs !== undefined,
      targetName: names.target,
      rawWidth,
    };
  } catch (error) {
    if (error instanceof NeuralNetworkError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The model's outputs for one raw input (preprocessed as the model says). */
export function predictRaw(model: Model, raw: readonly number[]): number[] {
  return model.network.predict(preprocess(raw, model.preprocessing));
}

/**
 * Which columns of a table feed the model: `chosen` if given, else the model's own input names,
 * else every column but `exclude`. The count must match what the model takes.
 */
export function inputColumns(
  model: Model,
  table: Table,
  chosen?: readonly string[],
  exclude?: string,
): string[] {
  let names: string[];
  if (chosen !== undefined) names = [...chosen];
  else if (model.namedInputs) names = model.inputNames;
  else names = table.columns.filter((name) => name !== exclude);
  columnIndices(table, names);
  if (names.length !== model.rawWidth) {
    throw new CliError(
      `${model.path} takes ${model.rawWidth} inputs, but ${names.length} columns were chosen (${names.join(', ')}); pick them with --features`,
    );
  }
  return names;
}
