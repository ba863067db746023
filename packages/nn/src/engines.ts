import {
  compileGradients,
  evaluate,
  type BatchedGradients,
  type CompiledGradients,
  type Value,
} from '@dendrite/autograd';
import type { Example } from './data.js';
import { load, lossGraph, trainingLoss } from './loss-function.js';
import type { Loss } from './losses.js';
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
  /**
   * How a compiled engine runs its tape: written out as code, or interpreted; the batched one, in
   * lanes, its neurons' loops as WebAssembly SIMD (`'simd'`) or JavaScript; none for the eager one.
   */
  readonly mode: 'code' | 'tape' | 'lanes' | 'simd' | undefined;
  /**
   * Forward, loss, backward for up to `width` examples at once, `examples[order[from + e]]`
   * for e < count: their losses into `losses`, their gradients added to `sums` one example
   * after another, the numbers `accumulate` would add for each in turn. Only the batched engine.
   */
  accumulateBatch?(
    examples: readonly Example[],
    order: readonly number[],
    from: number,
    count: number,
    sums?: Float64Array,
  ): Float64Array;
  /** How many examples `accumulateBatch` takes at once. */
  readonly width?: number;
  /** Gradient sums the engine adds to fastest (the batched engine's are in its own memory). */
  readonly sums?: Float64Array;
}

// The engines are classes, so that their hot methods are shared by every run and V8 keeps them
// optimized from one training run to the next (a closure made per run would start cold).

/**
 * The loss on a flat tape, run forward and then swept backwards for the gradients (reverse mode,
 * no gradient graphs), each neuron's sum of products one step: written out as one function for
 * a network of up to several hundred parameters, interpreted for a larger one.
 */
export class CompiledEngine implements Engine {
  readonly readsVariables = false;
  readonly values: Float64Array;
  readonly mode: 'code' | 'tape' | 'lanes' | 'simd';
  private readonly lossAndGradients: CompiledGradients;
  private readonly input: Float64Array;

  constructor(network: Network, loss: Loss) {
    const graph = lossGraph(network, loss);
    const options = { inputs: graph.placeholders, parameters: network.parameters() };
    this.lossAndGradients = compileGradients(graph.loss, options);
    this.values = this.lossAndGradients.parameters;
    this.mode = this.lossAndGradients.mode;
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
  readonly mode = undefined;
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

/**
 * The compiled engine's tape run for many examples at once (`CompiledGradients.batched`): each
 * step over a batch's examples together, so each weight is read once per batch, not once per
 * example, with the very numbers of the compiled engine. Its parameters and gradient sums are in
 * the memory its WebAssembly loops work in, so no number is copied in or out per batch.
 */
export class BatchedEngine implements Engine {
  readonly readsVariables = false;
  readonly mode: 'lanes' | 'simd';
  readonly values: Float64Array;
  readonly sums: Float64Array;
  readonly width: number;
  private readonly batched: BatchedGradients;
  private readonly inputs: Float64Array;
  private readonly losses: Float64Array;
  private readonly stride: number;

  constructor(network: Network, loss: Loss, width: number) {
    // (the tape scoring runs on too: compiled once per network and loss, lanes of its own here)
    this.batched = trainingLoss(network, loss).batched(width);
    this.batched.syncFromValues();
    this.values = this.batched.parameters;
    this.sums = this.batched.gradientSums;
    this.mode = this.batched.simd ? 'simd' : 'lanes';
    this.width = width;
    this.stride = this.batched.forward.inputCount;
    this.inputs = new Float64Array(width * this.stride);
    this.losses = new Float64Array(width);
  }

  accumulate(example: Example, sums: Float64Array): number {
    return this.accumulateBatch([example], [0], 0, 1, sums)[0]!;
  }

  accumulateBatch(
    examples: readonly Example[],
    order: readonly number[],
    from: number,
    count: number,
    sums?: Float64Array,
  ): Float64Array {
    for (let e = 0; e < count; e++) load(this.inputs, examples[order[from + e]!]!, e * this.stride);
    return this.batched(this.inputs, count, sums, this.losses);
  }

  meanLoss(examples: readonly Example[]): number {
    let total = 0;
    for (let from = 0; from < examples.length; from += this.width) {
      const count = Math.min(this.width, examples.length - from);
      for (let e = 0; e < count; e++) load(this.inputs, examples[from + e]!, e * this.stride);
      const losses = this.batched(this.inputs, count, undefined, this.losses);
      for (let e = 0; e < count; e++) total += losses[e]!;
    }
    return total / examples.length;
  }

  syncToNetwork(): void {
    this.batched.syncToValues();
  }
}
