import { z } from 'zod';
import { activations, type Activation } from './activations.js';
import { features, normalize, toFeatures, type Feature, type Normalization } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { Network } from './network.js';

/** The model file format version this dendrite writes and reads. */
export const modelFormatVersion = 1;

/** What to do to a raw input before the network sees it: pick features, then normalize. */
export interface Preprocessing {
  /** Playground features computed from a raw (x, y), in this order. */
  features?: Feature[];
  /** Applied after the features. */
  normalization?: Normalization;
}

// Finite numbers only (zod 4 rejects NaN and ±Infinity, and JSON's 1e400 parses to Infinity).
const numbers = z.array(z.number());
const schema = z.strictObject({
  format: z.literal('dendrite-model'),
  version: z.literal(modelFormatVersion),
  shape: z.array(z.int().min(1)).min(2),
  layers: z.array(
    z.strictObject({
      activation: z.enum(Object.keys(activations) as [Activation, ...Activation[]]),
      weights: z.array(numbers),
      biases: numbers,
    }),
  ),
  biasFirst: z.boolean().optional(),
  inputs: z.array(z.string()).optional(),
  target: z.string().optional(),
  preprocessing: z
    .strictObject({
      features: z.array(z.enum(Object.keys(features) as [Feature, ...Feature[]])).optional(),
      normalization: z
        .strictObject({
          mean: numbers,
          scale: z.array(z.number().refine((s) => s !== 0, 'a scale of 0')),
        })
        .optional(),
    })
    .optional(),
});

/** What a model's raw inputs and its output are called, e.g. the CSV columns it was trained on. */
export interface ModelNames {
  /** One name per raw input (before preprocessing). */
  inputs?: string[];
  /** What the output predicts. */
  target?: string;
}

/** A model file's contents (version 1): the network's shape, activations and parameters, and its preprocessing. */
export type ModelFile = z.infer<typeof schema>;

/**
 * The model file of a network (with the preprocessing its inputs need and their names), as a plain
 * object; a parameter that is not finite (a diverged run) is a `NeuralNetworkError`.
 */
export function toModelFile(
  network: Network,
  preprocessing: Preprocessing = {},
  names: ModelNames = {},
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
      activation: layer.neurons[0]!.activation,
      weights: layer.neurons.map((n) => n.weights.map((w) => w.value)),
      biases: layer.neurons.map((n) => n.bias.value),
    })),
  };
  if (network.layers[0]!.neurons[0]!.biasFirst) file.biasFirst = true;
  if (names.inputs !== undefined) file.inputs = [...names.inputs];
  if (names.target !== undefined) file.target = names.target;
  if (preprocessing.features !== undefined || preprocessing.normalization !== undefined) {
    file.preprocessing = structuredClone(preprocessing);
  }
  return file;
}

/** The model file of a network as JSON text; numbers are written exactly, so loading it gives bit-identical predictions. */
export function saveModel(
  network: Network,
  preprocessing?: Preprocessing,
  names?: ModelNames,
): string {
  return `${JSON.stringify(toModelFile(network, preprocessing, names), null, 2)}\n`;
}

/**
 * A network, its preprocessing and its names from a model file (JSON text or a parsed object), checked
 * field by field: a `NeuralNetworkError` names the first bad field and what was wrong.
 */
export function loadModel(source: unknown): {
  network: Network;
  preprocessing: Preprocessing;
  names: ModelNames;
} {
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
  if (header.version !== modelFormatVersion) {
    throw new NeuralNetworkError(
      `model format version ${JSON.stringify(header.version)} is not supported; this dendrite reads version ${modelFormatVersion}`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NeuralNetworkError(`invalid model file: ${fieldName(issue.path)}: ${issue.message}`);
  }
  const file = parsed.data;
  checkCounts(file);
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
  if (file.target !== undefined) names.target = file.target;
  return { network, preprocessing: file.preprocessing ?? {}, names };
}

/**
 * How many numbers one raw input has: 2, a point (x, y), when the preprocessing computes
 * Playground features from it; otherwise the network's own input size.
 */
export function rawInputSize(networkInputSize: number, { features }: Preprocessing): number {
  return features === undefined ? networkInputSize : 2;
}

/** A raw input made ready for the network: the model's features, then its normalization. */
export function preprocess(
  raw: readonly number[],
  { features: chosen, normalization }: Preprocessing,
): number[] {
  const input = chosen === undefined ? [...raw] : toFeatures(raw, chosen);
  return normalization === undefined ? input : normalize(input, normalization);
}

function checkCounts({ shape, layers, preprocessing, inputs }: ModelFile): void {
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
  const rawWidth = rawInputSize(shape[0]!, preprocessing ?? {});
  if (inputs !== undefined && inputs.length !== rawWidth) {
    fail('inputs', `names ${inputs.length} inputs; the model takes ${rawWidth}`);
  }
  const normalization = preprocessing?.normalization;
  if (normalization !== undefined) {
    for (const key of ['mean', 'scale'] as const) {
      if (normalization[key].length !== width) {
        fail(
          `preprocessing.normalization.${key}`,
          `has ${normalization[key].length} numbers; expected ${width}`,
        );
      }
    }
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
