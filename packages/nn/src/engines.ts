import {
  compile,
  compileGradients,
  evaluate,
  grad,
  variable,
  type Compiled,
  type CompiledGradients,
  type Value,
} from '@dendrite/autograd';
import type { Example } from './data.js';
import { exampleLoss, type Loss } from './losses.js';
import { parameterCount } from './memory.js';
import type { Network } from './network.js';

/**
 * How training gets one example's loss and gradients from the engine: compiled code over typed
 * arrays, or the eager graph evaluated and backpropagated. Both give the same numbers to round-off.
 */
export interface Engine {
  /** The parameters' numbers while training, in `network.parameters()` order; updates change them. */
  readonly values: Float64Array;
  /**
   * Forward, loss, backward for one example: returns its loss and adds its gradients to `sums`
   * (leaving them as they were if the loss is not finite).
   */
  accumulate(example: Example, sums: Float64Array): number;
  /** The mean loss over `examples` at the current values. */
  meanLoss(examples: readonly Example[]): number;
  /** Brings the network's Variables up to date with `values`. */
  syncToNetwork(): void;
  /** True when the engine computes from the Variables, so they must follow every update. */
  readonly readsVariables: boolean;
}

/**
 * The loss of one example as a graph over placeholders: the inputs `x1, …`, then the target `y`
 * (or `y1, y2, …`, one per output).
 */
function lossGraph(network: Network, loss: Loss): { loss: Value; placeholders: Value[] } {
  const graph = network.placeholderGraph();
  const count = network.outputSize;
  const targets = Array.from({ length: count }, (_, i) =>
    variable(0, count === 1 ? 'y' : `y${i + 1}`),
  );
  return { loss: exampleLoss(loss, graph, targets), placeholders: [...graph.inputs, ...targets] };
}

/** Writes an example's inputs and then its targets into `into`. */
function load(into: Float64Array, example: Example): void {
  const values = example.input;
  const count = values.length;
  for (let i = 0; i < count; i++) into[i] = values[i]!;
  const { target } = example;
  if (typeof target === 'number') into[count] = target;
  else for (let i = 0; i < target.length; i++) into[count + i] = target[i]!;
}

/** A loss compiled alone, with a buffer for its placeholders. */
interface LossFunction {
  run: Compiled;
  input: Float64Array;
  out: Float64Array;
}

const lossFunctions = new WeakMap<Network, Map<Loss, LossFunction>>();

/**
 * The loss of one example over the network, compiled once per network and loss and shared by
 * everything that reports a mean loss (training's epochs, `meanLoss`, metrics).
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
    const run = compile([graph.loss], {
      inputs: graph.placeholders,
      parameters: network.parameters(),
    });
    found = { run, input: new Float64Array(graph.placeholders.length), out: new Float64Array(1) };
    byLoss.set(loss, found);
  }
  return found;
}

/** The mean of a compiled loss over the examples, at the parameters it holds. */
export function meanOf({ run, input, out }: LossFunction, examples: readonly Example[]): number {
  let total = 0;
  for (let e = 0; e < examples.length; e++) {
    load(input, examples[e]!);
    total += run(input, out)[0]!;
  }
  return total / examples.length;
}

/**
 * Networks with up to this many parameters train on generated code, larger ones on the tape: the
 * generated function of a larger network's gradients grows past what V8 optimises, while the
 * tape's sums of products run as loops (measured in the trainer, µs per example, code against
 * tape: 2-8-8-1, 105 parameters, 3.3 and 7.1; 2-12-12-1, 205, 8.1 and 7.0; 2-16-16-1, 337, 22
 * and 14).
 */
export const largestGeneratedNetwork = 150;

/** The compiled engine that suits the network's size (see `largestGeneratedNetwork`). */
export function compiledEngine(network: Network, loss: Loss): Engine {
  return parameterCount(network.shape) <= largestGeneratedNetwork
    ? new CompiledEngine(network, loss)
    : new TapeEngine(network, loss);
}

// The engines are classes, so that their hot methods are shared by every run and V8 keeps them
// optimized from one training run to the next (a closure made per run would start cold).

/** The loss and its symbolic gradients, compiled once into one function over typed arrays. */
export class CompiledEngine implements Engine {
  readonly readsVariables = false;
  readonly values: Float64Array;
  private readonly lossAndGradients: Compiled;
  private readonly lossOnly: LossFunction;
  private readonly input: Float64Array;
  private readonly out: Float64Array;

  constructor(network: Network, loss: Loss) {
    const graph = lossGraph(network, loss);
    const parameters = network.parameters();
    const options = { inputs: graph.placeholders, parameters };
    this.lossAndGradients = compile([graph.loss, ...grad(graph.loss, parameters)], options);
    this.lossOnly = lossFunction(network, loss);
    this.values = this.lossAndGradients.parameters;
    this.input = new Float64Array(graph.placeholders.length);
    this.out = new Float64Array(parameters.length + 1);
  }

  accumulate(example: Example, sums: Float64Array): number {
    load(this.input, example);
    const out = this.lossAndGradients(this.input, this.out);
    for (let i = 0; i < sums.length; i++) sums[i]! += out[i + 1]!;
    return out[0]!;
  }

  meanLoss(examples: readonly Example[]): number {
    this.lossOnly.run.parameters.set(this.values);
    return meanOf(this.lossOnly, examples);
  }

  syncToNetwork(): void {
    this.lossAndGradients.syncToValues();
  }
}

/**
 * The loss on a flat tape, run forward and then swept backwards for the gradients (reverse mode,
 * no gradient graphs), with each neuron's sum of products as one loop: for networks whose
 * symbolic gradients are too large to generate code for.
 */
export class TapeEngine implements Engine {
  readonly readsVariables = false;
  readonly values: Float64Array;
  private readonly lossAndGradients: CompiledGradients;
  private readonly input: Float64Array;

  constructor(network: Network, loss: Loss) {
    const graph = lossGraph(network, loss);
    const options = { inputs: graph.placeholders, parameters: network.parameters() };
    this.lossAndGradients = compileGradients(graph.loss, options);
    this.values = this.lossAndGradients.parameters;
    this.input = new Float64Array(graph.placeholders.length);
  }

  accumulate(example: Example, sums: Float64Array): number {
    load(this.input, example);
    return this.lossAndGradients(this.input, sums);
  }

  meanLoss(examples: readonly Example[]): number {
    let total = 0;
    for (const example of examples) {
      load(this.input, example);
      total += this.lossAndGradients(this.input);
    }
    return total / examples.length;
  }

  syncToNetwork(): void {
    this.lossAndGradients.syncToValues();
  }
}

/** The loss graph evaluated and backpropagated for every example, as the lecture does by hand. */
export class EagerEngine implements Engine {
  readonly readsVariables = true;
  readonly values: Float64Array;
  private readonly loss: Value;
  private readonly placeholders: Value[];
  private readonly parameters: Value[];
  private readonly input: Float64Array;

  constructor(network: Network, lossName: Loss) {
    const graph = lossGraph(network, lossName);
    this.loss = graph.loss;
    this.placeholders = graph.placeholders;
    this.parameters = network.parameters();
    this.values = Float64Array.from(this.parameters, (p) => p.value);
    this.input = new Float64Array(graph.placeholders.length);
  }

  /** (Throws an `AutogradError` when backward meets a gradient that is not finite.) */
  accumulate(example: Example, sums: Float64Array): number {
    const { input, placeholders, parameters, loss } = this;
    load(input, example);
    placeholders.forEach((x, i) => ((x.value = input[i]!), (x.grad = 0)));
    for (const p of parameters) p.grad = 0;
    const value = evaluate(loss);
    if (!Number.isFinite(value)) return value;
    loss.backward();
    parameters.forEach((p, i) => (sums[i]! += p.grad));
    return value;
  }

  meanLoss(examples: readonly Example[]): number {
    const { input, placeholders, loss } = this;
    let total = 0;
    for (const example of examples) {
      load(input, example);
      placeholders.forEach((x, i) => (x.value = input[i]!));
      total += evaluate(loss);
    }
    return total / examples.length;
  }

  syncToNetwork(): void {
    this.parameters.forEach((p, i) => (p.value = this.values[i]!));
  }
}
