/**
 * ONNX export of a dendrite model file: the features, the normalisation, the dense layers and
 * their activations, a softmax and the class names, and the targets' scaling, all inside the ONNX
 * graph, so that it takes the same raw inputs as `dendrite predict` and gives the same outputs.
 * Loaded only through this subpath, so the main entry never loads protobuf code.
 * @module @dendrite/nn/onnx
 */
import { OnnxGraph, onnxOpset } from '@dendrite/autograd/onnx';
import type { Categories } from './categories.js';
import type { Feature } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { loadModel } from './model.js';
import { rawInputSize } from './model-file.js';

export { onnxOpset };

/** How to export a model. */
export interface OnnxExportOptions {
  /** Write 32-bit floats (`FLOAT`) instead of doubles (`DOUBLE`, the default, equal to dendrite's numbers). */
  float32?: boolean;
  /** The graph's name (default `dendrite`). */
  name?: string;
}

/**
 * A model file (JSON text or a parsed object) as ONNX bytes: input `input` of shape [batch, raw
 * inputs], output `output` of shape [batch, outputs] and, for a classifier, `class` of shape
 * [batch], the predicted class names. The names of the inputs, targets and classes are also in the
 * model's metadata. A model with columns of categories takes each as a string input of its own
 * (see `oneHotInputs`). An invalid model file is a `NeuralNetworkError` that says so.
 * @example modelToOnnx(readFileSync('iris.json', 'utf8'))
 */
export function modelToOnnx(source: unknown, options: OnnxExportOptions = {}): Uint8Array {
  const { network, preprocessing, names, task, details } = loadModel(source);
  const g = new OnnxGraph(options.float32 ?? false);
  const { categories } = preprocessing;
  let h =
    categories === undefined
      ? g.input('input', ['batch', rawInputSize(network.inputSize, preprocessing)])
      : oneHotInputs(g, categories, names.inputs ?? [], preprocessing.imputation);
  // A missing input (NaN) takes its training mean, as `preprocess` fills it.
  if (preprocessing.imputation !== undefined) {
    const means = g.constant(preprocessing.imputation, [1, preprocessing.imputation.length]);
    h = g.node('Where', [g.node('IsNaN', [h]), means, h]);
  }
  if (preprocessing.features !== undefined) h = features(g, h, preprocessing.features);
  const { normalization, targets } = preprocessing;
  if (normalization !== undefined) {
    const row = [1, normalization.mean.length];
    h = g.node('Div', [
      g.node('Sub', [h, g.constant(normalization.mean, row)]),
      g.constant(normalization.scale, row),
    ]);
  }
  for (const layer of network.layers) {
    const inputs = layer.neurons[0]!.weights.length;
    // MatMul takes [inputs, neurons]: the transpose of the neurons' weight rows.
    const kernel = Array.from({ length: inputs }, (_, i) =>
      layer.neurons.map((n) => n.weights[i]!.value),
    ).flat();
    const sums = g.node('Add', [
      g.node('MatMul', [h, g.constant(kernel, [inputs, layer.neurons.length])]),
      g.constant(
        layer.neurons.map((n) => n.bias.value),
        [layer.neurons.length],
      ),
    ]);
    const activation = {
      sigmoid: 'Sigmoid',
      tanh: 'Tanh',
      relu: 'Relu',
      softmax: 'Softmax',
      linear: '',
    }[layer.activation];
    h =
      activation === ''
        ? sums
        : g.node(activation, [sums], activation === 'Softmax' ? { axis: { i: -1 } } : {});
  }
  const outputs = network.outputSize;
  if (targets !== undefined) {
    h = g.node('Add', [
      g.node('Mul', [h, g.constant(targets.scale, [1, outputs])]),
      g.constant(targets.mean, [1, outputs]),
    ]);
  }
  g.output('output', h, ['batch', outputs]);
  if (task.kind === 'classification') {
    const activation = network.activations.at(-1)!;
    const index =
      outputs > 1
        ? g.node('ArgMax', [h], { axis: { i: 1 }, keepdims: { i: 0 } })
        : g.node('Squeeze', [
            g.node(
              'Cast',
              [g.node('GreaterOrEqual', [h, g.constant([activation === 'tanh' ? 0 : 0.5])])],
              { to: { i: 7 } },
            ),
            g.integers([1]),
          ]);
    g.output(
      'class',
      g.node('Gather', [g.strings(task.classes), index], { axis: { i: 0 } }),
      ['batch'],
      8,
    );
  }
  const metadata: Record<string, string> = { task: JSON.stringify(task) };
  if (names.inputs !== undefined) metadata.inputs = JSON.stringify(names.inputs);
  if (names.targets !== undefined) metadata.targets = JSON.stringify(names.targets);
  if (details.loss !== undefined) metadata.loss = details.loss;
  return g.model(options.name ?? 'dendrite', metadata);
}

/** The Playground features of the (x, y) columns of `input`, concatenated in order. */
/**
 * The inputs of a model with columns of categories, one-hot encoded in the columns' order: its
 * number columns as `input` ([batch, how many]), each column of categories as a string input
 * named after the column ([batch]). ONNX cannot refuse a row as `preprocess` does: a value that
 * is none of the categories encodes as zeros, or, with an imputation, as each category's share.
 */
function oneHotInputs(
  g: OnnxGraph,
  categories: Categories,
  names: readonly string[],
  imputation: readonly number[] | undefined,
): string {
  const count = categories.filter((column) => column === null).length;
  const numbers = count > 0 ? g.input('input', ['batch', count]) : '';
  let number = 0;
  let at = 0; // where the column starts in the encoded row
  const pieces = categories.map((column, j) => {
    if (column === null) {
      at++;
      return g.node('Gather', [numbers, g.integers([number++])], { axis: { i: 1 } });
    }
    const name = names[j] ?? `input ${j + 1}`;
    if (name === 'input') {
      throw new NeuralNetworkError(
        'a column of categories named "input" would take the name of the number columns\' ONNX input: rename it',
      );
    }
    const cells = g.node('Unsqueeze', [g.textInput(name, ['batch']), g.integers([1])]);
    let hot = g.node('Cast', [g.node('Equal', [cells, g.strings(column)])], {
      to: { i: g.numberType },
    });
    if (imputation !== undefined) {
      // none of the categories: 1 − max = 1, so the shares are added; else nothing is
      const known = g.node('ReduceMax', [hot, g.integers([1])], { keepdims: { i: 1 } });
      const shares = g.constant(imputation.slice(at, at + column.length), [1, column.length]);
      hot = g.node('Add', [hot, g.node('Mul', [g.node('Sub', [g.constant([1]), known]), shares])]);
    }
    at += column.length;
    return hot;
  });
  return pieces.length === 1 ? pieces[0]! : g.node('Concat', pieces, { axis: { i: 1 } });
}

function features(g: OnnxGraph, input: string, chosen: readonly Feature[]): string {
  const column = (k: number) =>
    g.node('Slice', [input, g.integers([k]), g.integers([k + 1]), g.integers([1])]);
  const [x, y] = [column(0), column(1)];
  const of: Record<Feature, () => string> = {
    x: () => x,
    y: () => y,
    xSquared: () => g.node('Mul', [x, x]),
    ySquared: () => g.node('Mul', [y, y]),
    xTimesY: () => g.node('Mul', [x, y]),
    sinX: () => g.node('Sin', [x]),
    sinY: () => g.node('Sin', [y]),
  };
  return g.node(
    'Concat',
    chosen.map((name) => of[name]()),
    { axis: { i: 1 } },
  );
}
