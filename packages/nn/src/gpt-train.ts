// Training microgpt and sampling from it: one document per step, Adam with a linearly decaying
// rate, the loss and its gradients from one compiled reverse sweep over the GPT's graph.
import { compile, compileGradients } from '@dendrite/autograd';
import { NeuralNetworkError } from './errors.js';
import {
  bos,
  checkGptConfig,
  flatWeights,
  gptGraph,
  stateDict,
  vocabularySize,
  type GptConfig,
  type GptFile,
} from './gpt.js';
import { adam } from './optimizers.js';
import type { Random } from './random.js';

/** A GPT: its sizes and its weights, flat in the state dict's order. */
export interface Gpt {
  config: GptConfig;
  weights: Float64Array;
}

/** A GPT from its file's contents (parsed JSON), checked: sizes, every matrix's shape, finite weights. */
export function gptFromFile(file: unknown): Gpt {
  if (typeof file !== 'object' || file === null || !('state_dict' in file)) {
    throw new NeuralNetworkError(
      'a GPT file is a JSON object with chars, n_embd, n_head, n_layer, block_size and state_dict',
    );
  }
  const { chars, n_embd, n_head, n_layer, block_size, state_dict } = file as GptFile;
  const config = { chars, n_embd, n_head, n_layer, block_size };
  checkGptConfig(config);
  return { config, weights: flatWeights(config, state_dict) };
}

/** The file of a GPT: its sizes and its state dict. */
export function gptToFile({ config, weights }: Gpt): GptFile {
  return { ...config, state_dict: stateDict(config, weights) };
}

/** The characters the documents use, sorted: a GPT's vocabulary for them. */
export function vocabularyOf(documents: readonly string[]): string {
  return [...new Set(documents.join(''))]
    .sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)
    .join('');
}

/** A document's tokens: BOS, one per character, BOS. */
export function encode(config: GptConfig, document: string): number[] {
  const characters = [...config.chars];
  const ids = [...document].map((c) => {
    const id = characters.indexOf(c);
    if (id < 0) {
      throw new NeuralNetworkError(
        `the document '${document.slice(0, 40)}' has '${c}', which is not in the model's vocabulary '${config.chars}'`,
      );
    }
    return id;
  });
  return [bos(config), ...ids, bos(config)];
}

/**
 * @internal Writes a document into the inputs of `gptGraph`'s loss, in the order
 * `[...tokens.flat(), ...targets.flat(), scale]`: one-hot tokens and next tokens for its first
 * `block_size` positions, zeros after, and 1 / the positions it predicts.
 */
export function documentInputs(config: GptConfig, document: string, x: Float64Array): void {
  const ids = encode(config, document);
  const positions = Math.min(config.block_size, ids.length - 1);
  const row = vocabularySize(config);
  const targetsAt = config.block_size * row;
  x.fill(0);
  for (let pos = 0; pos < positions; pos++) {
    x[pos * row + ids[pos]!] = 1;
    x[targetsAt + pos * row + ids[pos + 1]!] = 1;
  }
  x[x.length - 1] = 1 / positions;
}

/** How to train a GPT. */
export interface GptTrainingOptions {
  /** How many steps the run takes (the learning rate reaches 0 at the end). */
  steps: number;
  /** The learning rate at the first step (default 0.01, microgpt's). */
  learningRate?: number;
}

/** Trains a GPT one document at a time. */
export interface GptTrainer {
  /** One step on this document: its loss before the update; `gpt.weights` are then updated. */
  step(document: string): number;
}

/**
 * microgpt's training: each step reads one document over at most `block_size` positions, the
 * loss is the mean of −log p(next token), and Adam (β1 0.85, β2 0.99, ε 1e-8) moves the weights
 * at a rate decayed linearly from `learningRate` to 0 over `steps`. The graph is built and
 * compiled once; each step fills its one-hot inputs and runs the compiled loss and sweep.
 */
export function gptTrainer(gpt: Gpt, options: GptTrainingOptions): GptTrainer {
  const { steps, learningRate = 0.01 } = options;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new NeuralNetworkError(`steps must be a whole number above 0, got ${steps}`);
  }
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new NeuralNetworkError(
      `the learning rate must be a positive number, got ${learningRate}`,
    );
  }
  const { config } = gpt;
  const graph = gptGraph(config, gpt.weights);
  const inputs = [...graph.tokens.flat(), ...graph.targets.flat(), graph.scale];
  const lossAndGradients = compileGradients(graph.loss, { inputs, parameters: graph.weights });
  const x = new Float64Array(inputs.length);
  const gradients = new Float64Array(gpt.weights.length);
  const optimizer = adam({ beta1: 0.85, beta2: 0.99, epsilon: 1e-8 });
  const batch = { sums: gradients, size: 1, isWeight: new Uint8Array(gradients.length).fill(1) };
  let done = 0;
  return {
    step(document) {
      if (done === steps) throw new NeuralNetworkError(`the run's ${steps} steps are done`);
      documentInputs(config, document, x);
      gradients.fill(0);
      const loss = lossAndGradients(x, gradients);
      const rate = learningRate * (1 - done / steps);
      optimizer.step(lossAndGradients.parameters, gradients, rate, batch);
      gpt.weights.set(lossAndGradients.parameters);
      done++;
      return loss;
    },
  };
}

/** Draws documents from a GPT. */
export type GptSampler = (random: Random, temperature?: number) => string;

/**
 * Samples as microgpt does: from BOS, each next token drawn from softmax(logits / temperature)
 * (default 0.5) until BOS comes again or the block is full. The GPT's graph is compiled once.
 */
export function gptSampler(gpt: Gpt): GptSampler {
  const { config } = gpt;
  const graph = gptGraph(config, gpt.weights);
  const logits = compile(graph.logits.flat(), {
    inputs: graph.tokens.flat(),
    parameters: graph.weights,
    mode: 'tape',
    simplify: false, // nothing to simplify in a freshly built graph
  });
  const row = vocabularySize(config);
  const characters = [...config.chars];
  const x = new Float64Array(config.block_size * row);
  const out = new Float64Array(config.block_size * row);
  const probabilities = new Float64Array(row);
  return (random, temperature = 0.5) => {
    if (!(temperature > 0 && Number.isFinite(temperature))) {
      throw new NeuralNetworkError(`the temperature must be a positive number, got ${temperature}`);
    }
    x.fill(0);
    let token = bos(config);
    let text = '';
    for (let pos = 0; pos < config.block_size; pos++) {
      x[pos * row + token] = 1;
      logits(x, out);
      let largest = -Infinity;
      for (let i = 0; i < row; i++) largest = Math.max(largest, out[pos * row + i]!);
      let total = 0;
      for (let i = 0; i < row; i++) {
        total += probabilities[i] = Math.exp((out[pos * row + i]! - largest) / temperature);
      }
      let draw = random.next() * total;
      token = 0;
      while (token < row - 1 && (draw -= probabilities[token]!) >= 0) token++;
      if (token === bos(config)) break;
      text += characters[token];
    }
    return text;
  };
}
