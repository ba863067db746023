// A network's loss compiled for scoring rows and, for a network that runs batches, for training
// too (one tape shared by the batched engine and the scores): the graph of one example's loss,
// how an example fills its placeholders, and the mean loss and outputs over many rows.
import {
  compile,
  compileGradients,
  variable,
  type BatchedFunction,
  type Compiled,
  type CompiledGradients,
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
 * A per-network cache of one thing per loss (a network's shape and loss never change, its
 * parameters' values do: whatever uses one syncs them first).
 */
function cached<T>(
  cache: WeakMap<Network, Map<Loss, T>>,
  network: Network,
  loss: Loss,
  make: () => T,
): T {
  let byLoss = cache.get(network);
  if (byLoss === undefined) cache.set(network, (byLoss = new Map<Loss, T>()));
  let found = byLoss.get(loss);
  if (found === undefined) byLoss.set(loss, (found = make()));
  return found;
}

const trainingLosses = new WeakMap<Network, Map<Loss, CompiledGradients>>();

/**
 * The loss of one example compiled for training, on the tape, the network's outputs beside it:
 * its `batched` lanes train (the batched engine) and score (`forward`); compiled once per network
 * and loss. Its parameters are the network's when first compiled: sync them before use.
 */
export function trainingLoss(network: Network, loss: Loss): CompiledGradients {
  return cached(trainingLosses, network, loss, () => {
    const graph = lossGraph(network, loss);
    return compileGradients(graph.loss, {
      inputs: graph.placeholders,
      parameters: network.parameters(),
      mode: 'tape', // (its batches run in lanes: code written out for one example would not run)
      outputs: network.placeholderGraph().outputs,
    });
  });
}

/**
 * A network's loss with its outputs beside it (roots 1, 2, …), and a buffer for its
 * placeholders: for a network that runs batches, the training tape's forward pass in lanes;
 * else compiled alone, one example at a time.
 */
interface LossFunction {
  run: Compiled | BatchedFunction;
  input: Float64Array;
  out: Float64Array;
}

const lossFunctions = new WeakMap<Network, Map<Loss, LossFunction>>();

/**
 * The loss of one example over the network, compiled once per network and loss and shared by
 * every `meanLoss` of it.
 */
export function lossFunction(network: Network, loss: Loss): LossFunction {
  return cached(lossFunctions, network, loss, () => {
    const out = new Float64Array(1 + network.outputSize);
    if (gainsFromBatches(network.shape)) {
      const run = trainingLoss(network, loss).batched(widestBatch).forward;
      return { run, input: new Float64Array(run.inputCount * widestBatch), out };
    }
    const graph = lossGraph(network, loss);
    // (as training's tape is: a fresh graph has nothing to simplify, and the same numbers result)
    const run = compile([graph.loss, ...network.placeholderGraph().outputs], {
      inputs: graph.placeholders,
      parameters: network.parameters(),
      simplify: false,
    });
    return { run, input: new Float64Array(graph.placeholders.length), out };
  });
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
  const { run, input, out } = f;
  const roots = out.length;
  run.syncFromValues();
  let total = 0;
  if ('width' in run) {
    const stride = run.inputCount;
    const results = new Float64Array(run.width * roots);
    for (let from = 0; from < examples.length; from += run.width) {
      const count = Math.min(run.width, examples.length - from);
      for (let e = 0; e < count; e++) load(input, examples[from + e]!, e * stride);
      run(input, count, results);
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
