import type { BatchedFunction } from '@dendrite/autograd';
import {
  decodeClass,
  gainsFromBatches,
  lectureData,
  lectureNetwork,
  postprocess,
  predictInBatches,
  preprocess,
  rawInputSize,
  train,
  type LayerActivation,
  type LoadedModel,
  type ModelNames,
  type Network,
  type Preprocessing,
  widestBatch,
  type Task,
} from '@dendrite/nn';

/** What the protocol says about a served model: plain data, the same in a worker thread. */
export interface ModelDescription {
  name: string;
  version: string;
  /** Numbers per row a client sends (before features and normalization). */
  inputSize: number;
  outputSize: number;
  /** What each input column is, and what each output column is (class names for a softmax). */
  inputNames?: string[];
  outputNames?: string[];
  /** The classes of a classifier, which also answers with each row's class name. */
  classes?: string[];
  /** The output layer's activation, which says how to read a class from an output row. */
  outputActivation: LayerActivation;
}

/** A model the server answers for: its description, and its predictions for rows of raw numbers. */
export interface ServedModel extends ModelDescription {
  /** Each row's outputs, in the targets' own units. */
  predict: (rows: readonly (readonly number[])[]) => number[][];
}

/** A loaded model (or a bare network) as its description says it, served under `name`. */
export function modelDescription(
  name: string,
  { network, preprocessing = {}, names = {}, task }: Partial<LoadedModel> & { network: Network },
  version = '1',
): ModelDescription {
  const { categories } = preprocessing;
  if (categories !== undefined) {
    const columns = categories.flatMap((column, j) =>
      column === null ? [] : [names.inputs?.[j] ?? `input ${j + 1}`],
    );
    throw new Error(
      `it one-hot encodes columns of categories (${columns.join(', ')}), and this server's inputs are FP32 or FP64 tensors of numbers only; predict with it using dendrite predict, or serve its ONNX form (dendrite export), whose inputs take the categories as text`,
    );
  }
  const description: ModelDescription = {
    name,
    version,
    inputSize: rawInputSize(network.inputSize, preprocessing),
    outputSize: network.outputSize,
    outputActivation: network.activations.at(-1)!,
  };
  const outputNames = outputColumns(network, names, task);
  if (names.inputs !== undefined) description.inputNames = names.inputs;
  if (outputNames !== undefined) description.outputNames = outputNames;
  if (task?.kind === 'classification') description.classes = task.classes;
  return description;
}

/**
 * Predictions for rows of raw numbers through a compiled forward function: the model's
 * preprocessing, the network, then its output scaling, for each row. With `batched` (a large
 * network's), several rows run at once, the very numbers of one at a time.
 */
export function rowPredictor(
  forward: (inputs: readonly number[], out?: Float64Array) => Float64Array,
  preprocessing: Preprocessing = {},
  batched?: BatchedFunction,
): ServedModel['predict'] {
  // One output buffer, reused: predictions are synchronous, and each row's outputs are copied out
  // with a loop (`Array.from` on a typed array costs more than the whole forward pass here).
  let out: Float64Array | undefined;
  return (rows) => {
    if (batched !== undefined && rows.length > 1) {
      const inputs = rows.map((row) => preprocess(row, preprocessing));
      const outputs = predictInBatches(batched, inputs);
      return outputs.map((row) => postprocess(row, preprocessing));
    }
    return rows.map((row) => {
      out = forward(preprocess(row, preprocessing), out);
      const outputs = new Array<number>(out.length);
      for (let i = 0; i < out.length; i++) outputs[i] = out[i]!;
      return postprocess(outputs, preprocessing);
    });
  };
}

/** A loaded model file (or a bare network), compiled now and ready to serve under `name`. */
export function serve(
  name: string,
  loaded: Partial<LoadedModel> & { network: Network },
  version = '1',
): ServedModel {
  // Compiled when loaded, never on a request's path; a served model's parameters never change,
  // so they are bound once rather than brought up to date for every row.
  const { network } = loaded;
  const forward = network.forwardFunction();
  const batched = gainsFromBatches(network.shape) ? forward.batched(widestBatch) : undefined;
  return {
    ...modelDescription(name, loaded, version),
    predict: rowPredictor(forward, loaded.preprocessing, batched),
  };
}

/** What each output column means: a class's probability, or a named target. */
function outputColumns(network: Network, names: ModelNames, task: Task | undefined) {
  if (task?.kind === 'classification') {
    // One output is the probability of the second class; several, one per class.
    return network.outputSize === 1 ? [task.classes[1]!] : task.classes;
  }
  return names.targets?.length === network.outputSize ? names.targets : undefined;
}

/** The class name a classifier's output row says. */
export function classOf(model: ModelDescription, output: readonly number[]): string {
  return model.classes![decodeClass(output, model.outputActivation).index]!;
}

/**
 * The built-in model `lecture`: the lecture's 2-2-1 network trained on its table as the lecture
 * trains it (seed 1, 1000 epochs, learning rate 0.1), so every server answers the same. It takes
 * a person's weight in pounds and height in inches (the lecture's shifts, −135 lb and −66 in, are
 * inside it as its normalisation) and names its classes M and F.
 */
export function lectureModel(): ServedModel {
  const network = lectureNetwork({ seed: 1 });
  train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
  return serve('lecture', {
    network,
    preprocessing: { normalization: { mean: [135, 66], scale: [1, 1] } },
    names: { inputs: ['weight_lb', 'height_in'], targets: ['sex'] },
    task: { kind: 'classification', classes: ['M', 'F'] },
  });
}
