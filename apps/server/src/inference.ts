// The Open Inference Protocol's view of a served model: its metadata, and the output tensors of
// an inference (the numbers, and a classifier's class names as BYTES).
import { classOf, type ModelDescription } from './models.js';

/** An output tensor of an inference response. */
interface Tensor {
  name: string;
  datatype: 'FP64' | 'BYTES';
  shape: number[];
  data: number[] | string[];
}

/**
 * A model's metadata: its versions, its input `input` and its outputs, `output` and (for a
 * classifier) `class`, naming the input and output columns and the classes in `parameters`.
 */
export function modelMetadata(served: ModelDescription, versions = [served.version]) {
  const columns = (names: string[] | undefined) =>
    names ? { parameters: { columns: names } } : {};
  const outputs: object[] = [
    {
      name: 'output',
      datatype: 'FP64',
      shape: [-1, served.outputSize],
      ...columns(served.outputNames),
    },
  ];
  if (served.classes !== undefined) {
    outputs.push({
      name: 'class',
      datatype: 'BYTES',
      shape: [-1],
      parameters: { classes: served.classes },
    });
  }
  return {
    name: served.name,
    versions,
    platform: 'dendrite',
    inputs: [
      {
        name: 'input',
        datatype: 'FP64',
        shape: [-1, served.inputSize],
        ...columns(served.inputNames),
      },
    ],
    outputs,
  };
}

/** The output tensors for these rows' outputs: all of them, or those `wanted` by name. */
export function outputTensors(
  served: ModelDescription,
  outputs: number[][],
  wanted: readonly string[] | undefined,
): Tensor[] {
  const tensors: Tensor[] = [
    {
      name: 'output',
      datatype: 'FP64',
      shape: [outputs.length, served.outputSize],
      data: outputs.flat(),
    },
  ];
  if (served.classes !== undefined) {
    const names = outputs.map((output) => classOf(served, output));
    tensors.push({ name: 'class', datatype: 'BYTES', shape: [outputs.length], data: names });
  }
  return wanted === undefined ? tensors : tensors.filter((t) => wanted.includes(t.name));
}

/**
 * A `:predict` answer in TensorFlow Serving's forms: rows (`instances` → `predictions`) or
 * columns (`inputs` → `outputs`). A model with one output gives its lists as they are; a
 * classifier has two, `output` and `class`, so each row is an object (rows) or each output a
 * list of its own (columns), as TensorFlow Serving gives a model's several named outputs.
 */
export function predictAnswer(
  served: ModelDescription,
  outputs: number[][],
  key: 'instances' | 'inputs',
): Record<string, unknown> {
  if (served.classes === undefined) {
    return key === 'instances' ? { predictions: outputs } : { outputs };
  }
  const classes = outputs.map((output) => classOf(served, output));
  return key === 'instances'
    ? { predictions: outputs.map((output, i) => ({ output, class: classes[i] })) }
    : { outputs: { output: outputs, class: classes } };
}
