import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  lectureData,
  lectureNetwork,
  loadModel,
  preprocess,
  rawInputSize,
  train,
  type Network,
  type Preprocessing,
} from '@dendrite/nn';

/** A model the server answers for: a network, what its raw inputs need, and its sizes. */
export interface ServedModel {
  name: string;
  /** The one version served, `'1'`. */
  version: string;
  network: Network;
  preprocessing: Preprocessing;
  /** Numbers per row a client sends (before features and normalization). */
  inputSize: number;
  outputSize: number;
}

/** Model names are plain words, so a name is never a path or an object key with a meaning. */
export const modelName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** A network with its preprocessing, ready to serve under `name`. */
export function serve(
  name: string,
  network: Network,
  preprocessing: Preprocessing = {},
): ServedModel {
  return {
    name,
    version: '1',
    network,
    preprocessing,
    inputSize: rawInputSize(network.inputSize, preprocessing),
    outputSize: network.outputSize,
  };
}

/** Predicts one row of raw numbers: the model's preprocessing, then its network. */
export function predictRow(model: ServedModel, row: readonly number[]): number[] {
  return model.network.predict(preprocess(row, model.preprocessing));
}

/**
 * The built-in model `lecture`: the lecture's 2-2-1 network trained on its table as the lecture
 * trains it (seed 1, 1000 epochs, learning rate 0.1), so every server answers the same.
 */
export function lectureModel(): ServedModel {
  const network = lectureNetwork({ seed: 1 });
  train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
  return serve('lecture', network);
}

/** What loading a models directory found: the models to serve, and the files it could not. */
export interface ModelDirectory {
  models: Map<string, ServedModel>;
  problems: { path: string; reason: string }[];
}

/**
 * Every valid dendrite model file (`<name>.json`) in a directory, by name. A file that is not a
 * valid model, or whose name is not a plain word, is reported in `problems` and not served.
 */
export async function loadModelDirectory(directory: string): Promise<ModelDirectory> {
  const models = new Map<string, ServedModel>();
  const problems: ModelDirectory['problems'] = [];
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const path = join(directory, entry.name);
    const name = entry.name.slice(0, -'.json'.length);
    if (!modelName.test(name)) {
      problems.push({
        path,
        reason: `"${name}" is not a model name (letters, digits, _ . - only)`,
      });
      continue;
    }
    try {
      const { network, preprocessing } = loadModel(await readFile(path, 'utf8'));
      models.set(name, serve(name, network, preprocessing));
    } catch (error) {
      problems.push({ path, reason: (error as Error).message });
    }
  }
  return { models, problems };
}
