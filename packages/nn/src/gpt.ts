// microgpt (Karpathy, 2026) as a graph of scalars: a one-block GPT over characters, built from the
// engine's ops like any network here, and trained by its compiled reverse sweep (see gpt-train.ts).
import {
  add,
  dotProduct,
  logSoftmax,
  mul,
  neg,
  pow,
  relu,
  softmax,
  variable,
  type Value,
  type Variable,
} from '@dendrite/autograd';
import { NeuralNetworkError } from './errors.js';
import { normal, type Random } from './random.js';

/** A GPT's sizes, as microgpt names them in its state dict. */
export interface GptConfig {
  /** The vocabulary's characters in token order; one more token, BOS, follows them. */
  chars: string;
  /** The width of every position's vector. */
  n_embd: number;
  /** Attention heads per block (they split `n_embd` evenly). */
  n_head: number;
  /** Transformer blocks. */
  n_layer: number;
  /** The most positions a document is read over. */
  block_size: number;
}

/** microgpt's sizes; its characters come from the data. */
export const microgptSizes = { n_embd: 16, n_head: 4, n_layer: 1, block_size: 16 } as const;

/** A GPT's weight matrices by name, rows of numbers: microgpt's state dict. */
export type StateDict = Record<string, number[][]>;

/** A GPT's weights, with the sizes they are for: the JSON file `dendrite gpt` reads and writes. */
export interface GptFile extends GptConfig {
  state_dict: StateDict;
}

/** How many tokens a GPT knows: one per character of its vocabulary, and BOS. */
export const vocabularySize = (config: GptConfig) => [...config.chars].length + 1;

/** The token that starts and ends every document: the one after the characters. */
export const bos = (config: GptConfig) => vocabularySize(config) - 1;

/** The names and shapes of the weight matrices, in the state dict's order (rows × columns). */
export function gptShapes(config: GptConfig): [name: string, rows: number, columns: number][] {
  const tokens = vocabularySize(config);
  const width = config.n_embd;
  const shapes: [string, number, number][] = [
    ['wte', tokens, width],
    ['wpe', config.block_size, width],
    ['lm_head', tokens, width],
  ];
  for (let i = 0; i < config.n_layer; i++) {
    for (const name of ['attn_wq', 'attn_wk', 'attn_wv', 'attn_wo']) {
      shapes.push([`layer${i}.${name}`, width, width]);
    }
    shapes.push([`layer${i}.mlp_fc1`, 4 * width, width], [`layer${i}.mlp_fc2`, width, 4 * width]);
  }
  return shapes;
}

/** Checks that the sizes make a GPT (whole, positive, heads dividing the width). */
export function checkGptConfig(config: GptConfig): void {
  for (const key of ['n_embd', 'n_head', 'n_layer', 'block_size'] as const) {
    const n = config[key];
    if (!Number.isInteger(n) || n < 1 || n > 4096) {
      throw new NeuralNetworkError(`${key} must be a whole number from 1 to 4096, got ${n}`);
    }
  }
  if (config.n_embd % config.n_head !== 0) {
    throw new NeuralNetworkError(
      `n_embd (${config.n_embd}) must be a multiple of n_head (${config.n_head})`,
    );
  }
  if (typeof config.chars !== 'string' || config.chars.length === 0) {
    throw new NeuralNetworkError('the vocabulary needs at least one character');
  }
  if (new Set(config.chars).size !== vocabularySize(config) - 1 || /\s/.test(config.chars)) {
    throw new NeuralNetworkError('the vocabulary lists each character once and no white space');
  }
}

/** Fresh weights as microgpt draws them: every weight from N(0, 0.08²). */
export function initialWeights(config: GptConfig, random: Random): Float64Array {
  checkGptConfig(config);
  const count = gptShapes(config).reduce((n, [, rows, columns]) => n + rows * columns, 0);
  return Float64Array.from({ length: count }, () => normal(random, 0, 0.08 ** 2));
}

/** The weights, flat in the state dict's order (row by row), from a state dict; checks every shape. */
export function flatWeights(config: GptConfig, stateDict: StateDict): Float64Array {
  checkGptConfig(config);
  const flat: number[] = [];
  for (const [name, rows, columns] of gptShapes(config)) {
    const matrix = stateDict?.[name];
    const fits =
      Array.isArray(matrix) &&
      matrix.length === rows &&
      matrix.every((row) => Array.isArray(row) && row.length === columns);
    if (!fits) {
      throw new NeuralNetworkError(
        `the state dict's '${name}' must be ${rows} rows of ${columns} numbers for these sizes`,
      );
    }
    for (const row of matrix) {
      for (const w of row) {
        if (typeof w !== 'number' || !Number.isFinite(w)) {
          throw new NeuralNetworkError(
            `the state dict's '${name}' holds ${String(w)}, not a number`,
          );
        }
        flat.push(w);
      }
    }
  }
  return Float64Array.from(flat);
}

/** The state dict of flat weights (the inverse of `flatWeights`). */
export function stateDict(config: GptConfig, weights: ArrayLike<number>): StateDict {
  const dict: StateDict = {};
  let at = 0;
  for (const [name, rows, columns] of gptShapes(config)) {
    dict[name] = Array.from({ length: rows }, () =>
      Array.from({ length: columns }, () => weights[at++]!),
    );
  }
  return dict;
}

/**
 * A GPT over one document as a graph. Its inputs are one-hot rows, so one graph serves every
 * document of up to `block_size` positions: positions past a document's end have all-zero rows,
 * add exact zeros to the loss and its gradients, and so change nothing.
 */
export interface GptGraph {
  /** One-hot tokens, [position][token]: BOS, then the document's characters; zeros past its end. */
  tokens: Variable[][];
  /** One-hot targets, [position][token]: the token that follows at each position; zeros after. */
  targets: Variable[][];
  /** 1 / the number of positions the document predicts (the loss is their mean). */
  scale: Variable;
  /** The weights, flat in the state dict's order. */
  weights: Variable[];
  /** The logits of the next token at each position. */
  logits: Value[][];
  /** The mean over the document's positions of −log softmax(logits)[next token]. */
  loss: Value;
}

/** Σ terms, added left to right. */
const sum = (terms: readonly Value[]): Value => terms.reduce((total, term) => add(total, term));

/** A linear map without bias: one dot product per row of `w`. */
const linear = (x: readonly Value[], w: readonly Value[][]): Value[] =>
  w.map((row) => dotProduct(row, x));

/** x / √(mean(x²) + 10⁻⁵). */
function rmsNorm(x: readonly Value[]): Value[] {
  const meanSquare = mul(dotProduct(x, x), 1 / x.length);
  const scale = pow(add(meanSquare, 1e-5), -0.5);
  return x.map((xi) => mul(xi, scale));
}

/** Builds microgpt's graph over one document, with the given weights as its parameters. */
export function gptGraph(config: GptConfig, values: ArrayLike<number>): GptGraph {
  checkGptConfig(config);
  const shapes = gptShapes(config);
  const weights = Array.from(values, (w) => variable(w));
  const matrices = new Map<string, Variable[][]>();
  let at = 0;
  for (const [name, rows, columns] of shapes) {
    matrices.set(
      name,
      Array.from({ length: rows }, () => weights.slice(at, (at += columns))),
    );
  }
  if (at !== weights.length) {
    throw new NeuralNetworkError(`these sizes take ${at} weights, got ${weights.length}`);
  }
  const matrix = (name: string) => matrices.get(name)!;
  const { n_embd: width, n_head: heads, n_layer: layers, block_size: positions } = config;
  const vocabulary = vocabularySize(config);
  const headSize = width / heads;
  const oneHot = () =>
    Array.from({ length: positions }, () => Array.from({ length: vocabulary }, () => variable(0)));
  const tokens = oneHot();
  const targets = oneHot();
  const scale = variable(1, 'scale');
  const [wte, wpe] = [matrix('wte'), matrix('wpe')];
  const keyCache: Value[][][] = Array.from({ length: layers }, () => []);
  const valueCache: Value[][][] = Array.from({ length: layers }, () => []);
  const logits: Value[][] = [];
  const terms: Value[] = [];
  for (let pos = 0; pos < positions; pos++) {
    // The token's embedding (its one-hot row times wte) plus the position's.
    let x = wpe[pos]!.map((p, j) =>
      dotProduct([...tokens[pos]!, p], [...wte.map((row) => row[j]!), 1]),
    );
    x = rmsNorm(x);
    for (let layer = 0; layer < layers; layer++) {
      const w = (name: string) => matrix(`layer${layer}.${name}`);
      let residual = x;
      x = rmsNorm(x);
      const q = linear(x, w('attn_wq'));
      keyCache[layer]!.push(linear(x, w('attn_wk')));
      valueCache[layer]!.push(linear(x, w('attn_wv')));
      const attended: Value[] = [];
      for (let h = 0; h < heads; h++) {
        const head = (v: readonly Value[]) => v.slice(h * headSize, (h + 1) * headSize);
        const [query, keys, values] = [
          head(q),
          keyCache[layer]!.map(head),
          valueCache[layer]!.map(head),
        ];
        const scores = keys.map((key) => mul(dotProduct(query, key), 1 / headSize ** 0.5));
        const attention = softmax(scores);
        for (let j = 0; j < headSize; j++) {
          attended.push(
            dotProduct(
              attention,
              values.map((v) => v[j]!),
            ),
          );
        }
      }
      x = linear(attended, w('attn_wo')).map((xi, i) => add(xi, residual[i]!));
      residual = x;
      const hidden = linear(rmsNorm(x), w('mlp_fc1')).map((xi) => relu(xi));
      x = linear(hidden, w('mlp_fc2')).map((xi, i) => add(xi, residual[i]!));
    }
    const positionLogits = linear(x, matrix('lm_head'));
    logits.push(positionLogits);
    const logProbabilities = logSoftmax(positionLogits);
    terms.push(neg(dotProduct(targets[pos]!, logProbabilities)));
  }
  return { tokens, targets, scale, weights, logits, loss: mul(sum(terms), scale) };
}
