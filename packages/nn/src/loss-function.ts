// A network's loss compiled alone, for scoring rows (training's epochs use their engine's tape):
// the graph of one example's loss, how an example fills its placeholders, and the mean loss and
// outputs over many rows.
import {
  compile,
  variable,
  type BatchedFunction,
  type Compiled,
  type Value,
} from '@dendrite/autograd';
import { gainsFromBatches, widestBatch } from './batching.js';
import type { Example } from './data.js';
import { exampleLoss, type Loss } from './losses.js';
import type { Network } from './network.js';

/**
 * The loss of one example as a graph over placeholders: the inputs `x1, …`, then the target `y`
 * (or `y1, y2, …`, one per output).
 */
export function lossGraph(network: Network, loss: Loss): { loss: Value; placeholders: Value[] } {
  const graph = network.placeholderGraph();
  const count = network.outputSize;
  const targets = Array.from({ length: count }, (_, i) =>
    variable(0, count === 1 ? 'y' : `y${i + 1}`),
  );
  return { loss: exampleLoss(loss, graph, targets), placeholders: [...graph.inputs, ...targets] };
}

/** Writes an example's inputs and then its targets into `into`, from `at`. */
export function load(into: Float64Array, example: Example, at = 0): void {
  const values = example.input;
  const count = values.length;
  for (let i = 0; i < count; i++) into[at + i] = values[i]!;
  const { target } = example;
  if (typeof target === 'number') into[at + count] = target;
  else for (let i = 0; i < target.length; i++) into[at + count + i] = target[i]!;
}

/**
 * A loss compiled alone, with the network's outputs beside it (roots 1, 2, …), and a buffer for
 * its placeholders; a large network's runs batches too.
 */
interface LossFunction {
  run: Compiled;
  input: Float64Array;
  out: Float64Array;
  batched: BatchedFunction | undefined;
}

const lossFunctions = new WeakMap<Network, Map<Loss, LossFunction>>();

/**
 * The loss of one example over the network, compiled once per network and loss and shared by
 * every `meanLoss` of it (training's epochs use their own tape).
 */
export function lossFunction(network: Network, loss: Loss): LossFunction {
  let byLoss = lossFunctions.get(network);
  if (byLoss === undefined) {
    byLoss = new Map();
    lossFunctions.set(network, byLoss);
  }
  let found = byLoss.get(loss);
  if (found === undefined) {
    const graph = lossGraph(network, loss);
    // (as training's tape is: a fresh graph has nothing to simplify, and the same numbers result)
    const run = compile([graph.loss, ...network.placeholderGraph().outputs], {
      inputs: graph.placeholders,
      parameters: network.parameters(),
      simplify: false,
    });
    const batched = gainsFromBatches(network.shape) ? run.batched(widestBatch) : undefined;
    const input = new Float64Array(graph.placeholders.length);
    found = { run, input, out: new Float64Array(1 + network.outputSize), batched };
    byLoss.set(loss, found);
  }
  return found;
}

/**
 * The mean of a compiled loss over the examples and, with `outputs`, each one's outputs, at the
 * parameters it holds (brought up to date from the network's), a batch at once for a large
 * network: the same numbers.
 */
export function scoreRows(
  f: LossFunction,
  examples: readonly Example[],
  outputs?: number[][],
): number {
  const { run, input, out, batched } = f;
  const roots = out.length;
  run.syncFromValues();
  let total = 0;
  if (batched !== undefined && examples.length > 1) {
    batched.syncFromValues();
    const width = Math.min(batched.width, examples.length);
    const stride = input.length;
    const inputs = new Float64Array(width * stride);
    const results = new Float64Array(width * roots);
    for (let from = 0; from < examples.length; from += width) {
      const count = Math.min(width, examples.length - from);
      for (let e = 0; e < count; e++) load(inputs, examples[from + e]!, e * stride);
      batched(inputs, count, results);
      for (let e = 0; e < count; e++) {
        total += results[e * roots]!;
        outputs?.push(Array.from(results.subarray(e * roots + 1, (e + 1) * roots)));
      }
    }
    return total / examples.length;
  }
  for (let e = 0; e < examples.length; e++) {
    load(input, examples[e]!);
    run(input, out);
    total += out[0]!;
    outputs?.push(Array.from(out.subarray(1)));
  }
  return total / examples.length;
}
