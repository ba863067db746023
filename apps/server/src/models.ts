import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeClass,
  lectureData,
  lectureNetwork,
  loadModel,
  postprocess,
  preprocess,
  rawInputSize,
  train,
  type LoadedModel,
  type ModelNames,
  type Network,
  type Preprocessing,
  type Task,
} from '@dendrite/nn';

/** A model the server answers for: a network, what its raw inputs need, its sizes, names and task. */
export interface ServedModel {
  name: string;
  /** The one version served, `'1'`. */
  version: string;
  network: Network;
  preprocessing: Preprocessing;
  /** Numbers per row a client sends (before features and normalization). */
  inputSize: number;
  outputSize: number;
  /** What each input column is, and what each output column is (class names for a softmax). */
  inputNames?: string[];
  outputNames?: string[];
  /** The classes of a classifier, which also answers with each row's class name. */
  classes?: string[];
}

/** Model names are plain words, so a name is never a path or an object key with a meaning. */
export const modelName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** A loaded model file (or a bare network), ready to serve under `name`. */
export function serve(
  name: string,
  { network, preprocessing = {}, names = {}, task }: Partial<LoadedModel> & { network: Network },
): ServedModel {
  const served: ServedModel = {
    name,
    version: '1',
    network,
    preprocessing,
    inputSize: rawInputSize(network.inputSize, preprocessing),
    outputSize: network.outputSize,
  };
  const outputNames = outputColumns(network, names, task);
  if (names.inputs !== undefined) served.inputNames = names.inputs;
  if (outputNames !== undefined) served.outputNames = outputNames;
  if (task?.kind === 'classification') served.classes = task.classes;
  return served;
}

/** What each output column means: a class's probability, or a named target. */
function outputColumns(network: Network, names: ModelNames, task: Task | undefined) {
  if (task?.kind === 'classification') {
    // One output is the probability of the second class; several, one per class.
    return network.outputSize === 1 ? [task.classes[1]!] : task.classes;
  }
  return names.targets?.length === network.outputSize ? names.targets : undefined;
}

/** Predicts one row of raw numbers: the model's preprocessing, its network, then its output scaling. */
export function predictRow(model: ServedModel, row: readonly number[]): number[] {
  const { network, preprocessing } = model;
  return postprocess(network.predict(preprocess(row, preprocessing)), preprocessing);
}

/** The class name a classifier's output row says. */
export function classOf(model: ServedModel, output: readonly number[]): string {
  const { index } = decodeClass(output, model.network.activations.at(-1)!);
  return model.classes![index]!;
}

/**
 * The built-in model `lecture`: the lecture's 2-2-1 network trained on its table as the lecture
 * trains it (seed 1, 1000 epochs, learning rate 0.1), so every server answers the same.
 */
export function lectureModel(): ServedModel {
  const network = lectureNetwork({ seed: 1 });
  train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
  return serve('lecture', {
    network,
    names: { inputs: ['weight', 'height'], targets: ['female'] },
    task: { kind: 'classification', classes: ['0', '1'] },
  });
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
      models.set(name, serve(name, loadModel(await readFile(path, 'utf8'))));
    } catch (error) {
      problems.push({ path, reason: (error as Error).message });
    }
  }
  return { models, problems };
}
