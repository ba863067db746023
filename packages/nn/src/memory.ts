import { vocabularySize, type GptConfig } from './gpt.js';

/**
 * How much memory a network or a data set needs on this engine, estimated before anything is
 * allocated, so that an absurd size is refused with a message instead of exhausting the heap.
 * The figures are measured peaks (Node 20, x64) with a margin; they fall as the engine gets leaner.
 */

/** How many weights and biases a fully connected network of this shape has. */
export function parameterCount(shape: readonly number[]): number {
  let count = 0;
  for (let l = 1; l < shape.length; l++) count += (shape[l - 1]! + 1) * shape[l]!;
  return count;
}

// Peak memory per parameter, above Node's own: reading a model file into Variables, then
// compiling the forward pass, then training on the tape and saving the model (measured 230-240,
// 370-385 and 545-550 bytes at 784-1024-10 and 2-1000-1000-1; each neuron's sum is one `dot`).
const bytesPerParameter = { load: 300, predict: 500, train: 800 } as const;
// One example: its object and arrays, in the few copies a pipeline keeps (raw, features, split).
const bytesPerExample = 400;
const bytesPerNumber = 3 * 8;

/** The estimated peak bytes to build a network of this shape and `load` it, `predict` with it or `train` it. */
export function networkMemory(shape: readonly number[], use: 'load' | 'predict' | 'train'): number {
  return parameterCount(shape) * bytesPerParameter[use];
}

/** The estimated bytes of `examples` examples of `width` numbers each, through a training pipeline. */
export function dataMemory(examples: number, width: number): number {
  return examples * (bytesPerExample + width * bytesPerNumber);
}

// Peak memory per term of a GPT's training graph (a product in a sum) while it is built and
// compiled, above Node's own (measured 40 to 50 bytes from 3.6 to 15 million terms; each sum of
// products is one `dot` node).
const bytesPerGptTerm = 80;

/**
 * The estimated peak bytes to build and compile a GPT's training graph: per position, the
 * embeddings and the logits (4·V·E terms) and per block the attention and MLP (24·E² + 4·B·E).
 */
export function gptMemory(config: GptConfig): number {
  const { n_embd: width, n_layer: layers, block_size: positions } = config;
  const block = 24 * width * width + 4 * positions * width;
  return positions * (4 * vocabularySize(config) * width + layers * block) * bytesPerGptTerm;
}
