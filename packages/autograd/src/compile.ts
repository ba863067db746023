import { straightLine, type Evaluator } from './codegen.js';
import { toPortable, type PortableTape } from './portable.js';
import { runTape } from './run-tape.js';
import { tape, type Tape } from './tape.js';
import { AutogradError, describe, expectValues } from './errors.js';
import { numberNodes, placeIn, topologicalOrder } from './graph.js';
import { simplify } from './simplify.js';
import type { Value } from './value.js';

/** How to compile. */
export interface CompileOptions {
  /** The leaves whose numbers are given on each call, in order (e.g. a sample's inputs and target). */
  inputs: readonly Value[];
  /**
   * The leaves bound to the `parameters` array, which an optimizer may update in place (default:
   * every other variable the outputs depend on, in the order they are first reached).
   */
  parameters?: readonly Value[];
  /**
   * `'code'` generates straight-line JavaScript; `'tape'` interprets a flat tape over typed
   * arrays; `'auto'` (default) generates code unless the graph is too large for one function
   * or the environment forbids generated code.
   */
  mode?: 'auto' | 'code' | 'tape';
  /**
   * Simplify the graphs first (default `true`); `false` compiles them as they are, which is
   * faster for a large graph with nothing to simplify, such as a network's forward pass.
   */
  simplify?: boolean;
}

/** The parameters a compiled function is bound to: numbers it reads on every call, and their Values. */
export interface BoundParameters {
  /** The bound parameters' numbers, in order; update them in place between calls. */
  readonly parameters: Float64Array;
  /** The Values those numbers belong to. */
  readonly parameterValues: readonly Value[];
  /** Copies `parameters` into the Values' `value`. */
  syncToValues(this: void): void;
  /** Copies the Values' `value` into `parameters` (after something else changed them). */
  syncFromValues(this: void): void;
}

/** A compiled graph: call it with the inputs' numbers to get the outputs' numbers. */
export interface Compiled extends BoundParameters {
  /** The outputs for these input numbers, written into `out` (a new array if not given). */
  (inputs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Which way it runs. */
  readonly mode: 'code' | 'tape';
  /** The generated JavaScript, in `'code'` mode. */
  readonly source?: string;
  /**
   * In `'tape'` mode, the tape as plain typed arrays, which `postMessage` can send to another
   * thread for `runPortable` to run there (it throws if a step is an op you defined yourself).
   */
  portable?(): PortableTape;
}

/**
 * Graphs with more nodes than this run on the tape in `'auto'` mode: V8 stops optimising a
 * generated function somewhere above it, and then the switch-dispatched tape is about twice as
 * fast (measured: 2-20-20-1's loss and gradients, 2,898 nodes, 2.3 µs as code and 18 µs on the
 * tape; 2-24-24-1's, 4,050 nodes, 51 µs as code and 26 µs on the tape). A `dot` of n pairs counts
 * as the 2n nodes of the products and sums it stands for: its code is as long as theirs.
 */
const largestGeneratedFunction = 3_000;

/** A graph's size as generated code: a node each, but a node of more inputs (a `dot`) one per input. */
function codeSize(order: readonly Value[]): number {
  let size = 0;
  for (const { inputs } of order) size += inputs.length > 2 ? inputs.length : 1;
  return size;
}

/**
 * The code a compiled function runs, shared by every compiled function of the same graph shape:
 * `kernel(context, evaluators, x, out)`, where `context` is the parameters array (generated code)
 * or the tape. Sharing it (rather than making a closure per compile) lets V8 keep it optimized
 * when the same network is compiled again, e.g. for a second training run.
 */
type Kernel = (
  context: Float64Array | Tape,
  evaluators: readonly ((...operands: number[]) => number)[],
  x: ArrayLike<number>,
  out: Float64Array,
) => void;

/** What one compiled function binds its shared kernel to. */
interface Binding {
  kernel: Kernel;
  context: Float64Array | Tape;
  evaluators: readonly ((...operands: number[]) => number)[];
  inputCount: number;
  outputCount: number;
}

/** Every compiled function is this one function, bound to its own `Binding`. */
function callCompiled(this: Binding, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  if (typeof x?.length !== 'number') {
    throw new AutogradError(`a compiled function takes an array of numbers, got ${describe(x)}`);
  }
  if (x.length !== this.inputCount) {
    throw new AutogradError(`compiled function takes ${this.inputCount} inputs, got ${x.length}`);
  }
  const into = out ?? new Float64Array(this.outputCount);
  this.kernel(this.context, this.evaluators, x, into);
  return into;
}

/** Generated kernels by source (small and bounded). */
const kernels = new Map<string, Kernel>();
const kernelCacheSize = 64;

function kernelFor(source: string): Kernel {
  let kernel = kernels.get(source);
  if (kernel === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generating code is compile's job
    kernel = new Function('p', 'evaluators', 'x', 'out', source) as Kernel;
    if (kernels.size >= kernelCacheSize) kernels.delete(kernels.keys().next().value!);
    kernels.set(source, kernel);
  }
  return kernel;
}

/**
 * Compiles output graphs (e.g. a loss and its gradients) into a function over typed arrays that
 * evaluates them for new inputs without building any Value. The graphs are simplified first, so
 * shared sub-expressions are computed once and constants are folded.
 * @example const step = compile([loss, ...grad(loss, weights)], { inputs: [x, y] }); step([0.5, 1]);
 */
export function compile(outputs: readonly Value[], options: CompileOptions): Compiled {
  expectValues(outputs, 'compile (outputs)', { single: false });
  checkOptions(options, 'compile');
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'code' && mode !== 'tape') {
    throw new AutogradError(`compile: mode is 'auto', 'code' or 'tape', got ${describe(mode)}`);
  }
  const roots = options.simplify === false ? [...outputs] : simplify(outputs);
  const { order, inputs, parameters, slotAt } = layout(roots, options, 'compile');
  let parameterArray: Float64Array = Float64Array.from(parameters, (p) => p.value);
  let binding: Binding | undefined;
  let source: string | undefined;
  if (mode === 'code' || (mode === 'auto' && codeSize(order) <= largestGeneratedFunction)) {
    try {
      const evaluators: Evaluator[] = [];
      source = generate(order, roots, slotAt, evaluators);
      binding = {
        kernel: kernelFor(source),
        context: parameterArray,
        evaluators,
        inputCount: inputs.length,
        outputCount: roots.length,
      };
      probe(binding);
    } catch (error) {
      if (mode === 'code') throw tooLargeForCode(order.length, error);
      source = undefined; // generated code is forbidden here (e.g. a content security policy)
    }
  }
  let onTape: Tape | undefined;
  if (binding === undefined) {
    onTape = tape(order, roots, inputs, parameters);
    parameterArray = onTape.parameters; // the tape's own slots: no copy per call
    binding = {
      kernel: runTape,
      context: onTape,
      evaluators: [],
      inputCount: inputs.length,
      outputCount: roots.length,
    };
  }

  return Object.assign(callCompiled.bind(binding), {
    parameters: parameterArray,
    parameterValues: parameters,
    ...parameterSync(parameters, parameterArray),
    mode: source === undefined ? ('tape' as const) : ('code' as const),
    ...(source === undefined ? {} : { source }),
    ...(onTape === undefined ? {} : { portable: () => toPortable(onTape, inputs.length) }),
  });
}

/** Checks a compiler's options: an object with its inputs, and perhaps its parameters. */
export function checkOptions(options: Omit<CompileOptions, 'mode'>, who: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new AutogradError(
      `${who} needs options with its inputs, e.g. { inputs: [x] }, got ${describe(options)}`,
    );
  }
  expectValues(options.inputs, `${who} (inputs)`, { single: false });
  if (options.parameters !== undefined) {
    expectValues(options.parameters, `${who} (parameters)`, { single: false });
  }
}

/** A place in `order` that holds no input or parameter. */
const unplaced = -(2 ** 31);

/**
 * Where the leaves of graphs go: the inputs in `x`, the parameters in `p` (given, or every other
 * variable in the order first reached). A leaf listed twice, or a variable that is neither, is an
 * error that names it.
 */
export function layout(
  roots: readonly Value[],
  options: Omit<CompileOptions, 'mode'>,
  who: string,
) {
  const order = topologicalOrder(roots);
  const inputs = [...options.inputs];
  const isInput = new Set(inputs);
  const parameters = [
    ...(options.parameters ?? order.filter((n) => n.isVariable && !isInput.has(n))),
  ];
  // Input i is slot i, parameter i slot -1 - i, kept by the nodes' places in `order` (numbers on
  // the nodes themselves, not a Map keyed by node: graphs may have a million leaves).
  numberNodes(order);
  const slotAt = new Int32Array(order.length).fill(unplaced);
  const outside = new Map<Value, number>(); // listed leaves that the outputs do not depend on
  const place = (leaf: Value, slot: number, what: string) => {
    const at = placeIn(order, leaf);
    const taken = at >= 0 ? slotAt[at]! : (outside.get(leaf) ?? unplaced);
    if (taken !== unplaced) {
      const name = leaf.label ?? `#${leaf.id}`;
      const where =
        taken >= 0 === slot >= 0 ? `twice among the ${what}` : 'both an input and a parameter';
      throw new AutogradError(`${who}: leaf ${name} is ${where}`);
    }
    if (at >= 0) slotAt[at] = slot;
    else outside.set(leaf, slot);
  };
  inputs.forEach((leaf, i) => place(leaf, i, 'inputs'));
  parameters.forEach((leaf, i) => place(leaf, -1 - i, 'parameters'));
  order.forEach((node, i) => {
    if (node.op === undefined && !node.isConstant && slotAt[i] === unplaced) {
      throw new AutogradError(
        `${who}: variable ${node.label ?? `#${node.id}`} is neither an input nor a parameter`,
      );
    }
  });
  return { order, inputs, parameters, slotAt };
}

/** Copies numbers into the parameters' `value`, and back (the `sync…` methods of a compiled function). */
export function parameterSync(parameters: readonly Value[], numbers: Float64Array) {
  return {
    syncToValues: toValues.bind(null, parameters, numbers),
    syncFromValues: fromValues.bind(null, parameters, numbers),
  };
}

/**
 * V8 compiles a generated function when it is first called, and a function with too many locals
 * overflows the stack then: one call now, on zeros, finds that out at compile time.
 */
function probe(binding: Binding): void {
  const { kernel, context, evaluators, inputCount, outputCount } = binding;
  try {
    kernel(context, evaluators, new Float64Array(inputCount), new Float64Array(outputCount));
  } catch (error) {
    if (error instanceof RangeError) throw error; // an op's own error on zeros is not ours to judge
  }
}

/** Why forced code mode failed: usually V8 refusing a function this large. */
function tooLargeForCode(nodes: number, error: unknown): AutogradError {
  return new AutogradError(
    `compile: mode 'code' could not generate one function for ${nodes.toLocaleString('en')} nodes ` +
      `(${(error as Error).message}); use mode 'tape', or 'auto', which generates code for graphs ` +
      `of up to ${largestGeneratedFunction.toLocaleString('en')} nodes and runs larger ones on the tape`,
  );
}

function toValues(parameters: readonly Value[], numbers: Float64Array): void {
  for (let i = 0; i < parameters.length; i++) parameters[i]!.value = numbers[i]!;
}

function fromValues(parameters: readonly Value[], numbers: Float64Array): void {
  for (let i = 0; i < parameters.length; i++) numbers[i] = parameters[i]!.value;
}

/** The kernel's source over `p`, `x` and `out`: straight-line code, then the outputs. */
function generate(
  order: readonly Value[],
  roots: readonly Value[],
  slotAt: Int32Array,
  evaluators: Evaluator[],
): string {
  const names = new Map<Value, string>();
  slotAt.forEach((slot, i) => {
    if (slot !== unplaced) names.set(order[i]!, slot >= 0 ? `x[${slot}]` : `p[${-1 - slot}]`);
  });
  const { lines, code } = straightLine(order, names, evaluators);
  roots.forEach((root, i) => lines.push(`out[${i}] = ${code.get(root)!};`));
  return ['"use strict";', ...lines].join('\n');
}
