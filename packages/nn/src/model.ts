import { encodeRow } from './categories.js';
import { denormalize, normalize, toFeatures } from './data.js';
import { NeuralNetworkError } from './errors.js';
import {
  modelFormatVersion,
  parseModelFile,
  type ModelDetails,
  type ModelFile,
  type ModelNames,
  type Preprocessing,
} from './model-file.js';
import { Network } from './network.js';
import type { Task } from './task.js';

/**
 * The model file of a network (with the preprocessing its inputs need and their names), as a plain
 * object; a parameter that is not finite (a diverged run) is a `NeuralNetworkError`.
 */
export function toModelFile(
  network: Network,
  preprocessing: Preprocessing = {},
  names: ModelNames = {},
  details: ModelDetails = {},
): ModelFile {
  const notFinite = network.parameters().find((p) => !Number.isFinite(p.value));
  if (notFinite !== undefined) {
    throw new NeuralNetworkError(
      `cannot save a network whose ${notFinite.label ?? 'parameter'} is ${notFinite.value}: a model file holds finite numbers only (the training diverged)`,
    );
  }
  const file: ModelFile = {
    format: 'dendrite-model',
    version: modelFormatVersion,
    shape: [...network.shape],
    layers: network.layers.map((layer) => ({
      activation: layer.activation,
      weights: layer.neurons.map((n) => n.weights.map((w) => w.value)),
      biases: layer.neurons.map((n) => n.bias.value),
    })),
  };
  if (network.layers[0]!.neurons[0]!.biasFirst) file.biasFirst = true;
  if (names.inputs !== undefined) file.inputs = [...names.inputs];
  if (names.targets !== undefined) file.targets = [...names.targets];
  if (Object.keys(preprocessing).length > 0) file.preprocessing = structuredClone(preprocessing);
  const { task, loss, training, metrics: scores, split } = structuredClone(details);
  Object.assign(file, { task, loss, training, split });
  if (scores !== undefined) file.metrics = scores as ModelFile['metrics'];
  for (const key of Object.keys(file) as (keyof ModelFile)[]) {
    if (file[key] === undefined) delete file[key];
  }
  return file;
}

/** The model file of a network as JSON text; numbers are written exactly, so loading it gives bit-identical predictions. */
export function saveModel(
  network: Network,
  preprocessing?: Preprocessing,
  names?: ModelNames,
  details?: ModelDetails,
): string {
  return `${JSON.stringify(toModelFile(network, preprocessing, names, details), null, 2)}\n`;
}

/** A model as `loadModel` gives it back. */
export interface LoadedModel {
  network: Network;
  preprocessing: Preprocessing;
  names: ModelNames;
  /** The task it records; for a file without one, the task its output implies. */
  task: Task;
  details: ModelDetails;
}

/**
 * A network, its preprocessing and its names from a model file (JSON text or a parsed object), checked
 * field by field: a `NeuralNetworkError` names the first bad field and what was wrong.
 */
export function loadModel(source: unknown): LoadedModel {
  const file = parseModelFile(source);
  const network = new Network(file.shape, {
    activation: file.layers.map((layer) => layer.activation),
    init: 'zero',
    biasFirst: file.biasFirst ?? false,
  });
  network.layers.forEach((layer, l) =>
    layer.neurons.forEach((neuron, i) => {
      neuron.weights.forEach((w, j) => (w.value = file.layers[l]!.weights[i]![j]!));
      neuron.bias.value = file.layers[l]!.biases[i]!;
    }),
  );
  const names: ModelNames = {};
  if (file.inputs !== undefined) names.inputs = file.inputs;
  const targets = file.targets ?? (file.target === undefined ? undefined : [file.target]);
  if (targets !== undefined) names.targets = targets;
  const { task, loss, training, metrics: scores, split } = file;
  const details = { task, loss, training, metrics: scores as ModelDetails['metrics'], split };
  for (const key of Object.keys(details) as (keyof ModelDetails)[]) {
    if (details[key] === undefined) delete details[key];
  }
  return {
    network,
    preprocessing: file.preprocessing ?? {},
    names,
    task: task ?? impliedTask(network),
    details,
  };
}

/** The task a model without a recorded one implies: 0/1 classes for one sigmoid output, −1/1 for tanh. */
function impliedTask(network: Network): Task {
  const output = network.activations.at(-1)!;
  if (output === 'softmax') {
    return {
      kind: 'classification',
      classes: Array.from({ length: network.outputSize }, (_, i) => String(i)),
    };
  }
  if (network.outputSize === 1 && (output === 'sigmoid' || output === 'tanh')) {
    return { kind: 'classification', classes: output === 'sigmoid' ? ['0', '1'] : ['-1', '1'] };
  }
  return { kind: 'regression' };
}

/** A network's outputs in the targets' own units: undoes the target scaling, if there was one. */
export function postprocess(output: readonly number[], { targets }: Preprocessing): number[] {
  return targets === undefined ? [...output] : denormalize(output, targets);
}

/**
 * A raw input made ready for the network: its categories one-hot (a category the model has not
 * seen is a `NeuralNetworkError` that names the column, by `names` or by position), its missing
 * values (NaN) filled by the model's imputation, the model's features, then its normalization. A
 * missing value the model does not fill is a `NeuralNetworkError`.
 */
export function preprocess(
  raw: readonly (number | string)[],
  preprocessing: Preprocessing,
  names?: readonly string[],
): number[] {
  const { categories, imputation } = preprocessing;
  const encoded =
    categories === undefined ? (raw as readonly number[]) : encodeRow(raw, categories, names);
  if (imputation === undefined) {
    const gap = encoded.findIndex((value) => Number.isNaN(value));
    if (gap >= 0) {
      throw new NeuralNetworkError(
        `input ${gap + 1} is missing, and the model fills no missing values (train it to fill them with their training means)`,
      );
    }
  }
  return scaleInput(encoded, preprocessing);
}

/** @internal Numbers (categories already encoded) made ready for the network: gaps filled, features, then normalization. */
export function scaleInput(
  input: readonly number[],
  { imputation, features: chosen, normalization }: Preprocessing,
): number[] {
  const filled =
    imputation === undefined
      ? input
      : input.map((value, j) => (Number.isNaN(value) ? imputation[j]! : value));
  const numbers = chosen === undefined ? [...filled] : toFeatures(filled, chosen);
  return normalization === undefined ? numbers : normalize(numbers, normalization);
}

/**
 * The mean of each input over these examples, leaving out missing values (NaN): what fills a
 * missing input. An input with no value in any example is a `NeuralNetworkError`.
 * @internal
 */
export function fitImputation(inputs: readonly (readonly number[])[]): number[] {
  const width = inputs[0]?.length ?? 0;
  return Array.from({ length: width }, (_, j) => {
    let sum = 0;
    let count = 0;
    for (const input of inputs) {
      const value = input[j]!;
      if (Number.isNaN(value)) continue;
      sum += value;
      count++;
    }
    if (count === 0) {
      throw new NeuralNetworkError(
        `input ${j + 1} has no value in any training example to fill its gaps with`,
      );
    }
    return sum / count;
  });
}
