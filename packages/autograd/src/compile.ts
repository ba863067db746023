import { straightLine, type Evaluator } from './codegen.js';
import { AutogradError, describe, expectValues } from './errors.js';
import { simplify } from './simplify.js';
import { buildTape } from './tape/build.js';
import {
  checkLeaves,
  layout,
  parameterSync,
  type BoundParameters,
  type Leaves,
  type Layout,
} from './tape/layout.js';
import { toPortable, type PortableTape } from './tape/portable.js';
import { batchedFunction, type BatchedFunction } from './tape/batched.js';
import { checkWidth, lanesOf } from './tape/lanes.js';
import { runTape } from './tape/run.js';
import type { Tape } from './tape/tape.js';
import type { Value } from './value.js';

/** How to compile. */
export interface CompileOptions extends Leaves {
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
  /**
   * The same function for up to `width` examples at once, bound to a copy of these parameters:
   * each step runs over the examples together, so each weight is read once per batch, not once
   * per example.
   */
  batched(width: number): BatchedFunction;
}

/**
 * Graphs with more nodes than this run on the tape in `'auto'` mode: V8 stops optimising a
 * generated function somewhere above it, and then the tape is faster (see BENCHMARKS.md). A `dot`
 * of n pairs counts as the 2n nodes of the products and sums it stands for.
 */
const largestGeneratedFunction = 3_000;

/** A graph's size as generated code: a node each, but a node of more inputs (a `dot`) one per input. */
function codeSize(order: readonly Value[]): number {
  let size = 0;
  for (const { inputs } of order) size += inputs.length > 2 ? inputs.length : 1;
  return size;
}

/**
 * Generated code, shared by every compiled function of the same graph shape (kept by its source),
 * so that V8 keeps it optimised when the same network is compiled again: the outputs, from the
 * parameters `p`, the `evaluate`s of ops without `emit` and the inputs `x`, into `out`.
 */
type Kernel = (
  p: Float64Array,
  evaluators: readonly Evaluator[],
  x: ArrayLike<number>,
  out: Float64Array,
) => void;

/** What one compiled function runs: its generated kernel and what it binds it to, or its tape. */
type Binding = Counts & (Generated | { tape: Tape });
type Counts = { inputCount: number; outputCount: number };
type Generated = { kernel: Kernel; parameters: Float64Array; evaluators: readonly Evaluator[] };

/** Every compiled function is this one function, bound to its own `Binding`. */
function callCompiled(this: Binding, x: ArrayLike<number>, out?: Float64Array): Float64Array {
  if (typeof x?.length !== 'number') {
    throw new AutogradError(`a compiled function takes an array of numbers, got ${describe(x)}`);
  }
  if (x.length !== this.inputCount) {
    throw new AutogradError(`compiled function takes ${this.inputCount} inputs, got ${x.length}`);
  }
  const into = out ?? new Float64Array(this.outputCount);
  if ('tape' in this) runTape(this.tape, x, into);
  else this.kernel(this.parameters, this.evaluators, x, into);
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
  checkLeaves(options, 'compile');
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'code' && mode !== 'tape') {
    throw new AutogradError(`compile: mode is 'auto', 'code' or 'tape', got ${describe(mode)}`);
  }
  const roots = options.simplify === false ? [...outputs] : simplify(outputs);
  const laidOut = layout(roots, options, 'compile');
  const { order, inputs, parameters } = laidOut;
  const counts = { inputCount: inputs.length, outputCount: roots.length };
  let binding: Binding | undefined;
  let source: string | undefined;
  if (mode === 'code' || (mode === 'auto' && codeSize(order) <= largestGeneratedFunction)) {
    try {
      const evaluators: Evaluator[] = [];
      source = generate(laidOut, roots, evaluators);
      const numbers = Float64Array.from(parameters, (p) => p.value);
      const generated = { ...counts, kernel: kernelFor(source), parameters: numbers, evaluators };
      probe(generated);
      binding = generated;
    } catch (error) {
      if (mode === 'code') throw tooLargeForCode(order.length, error);
      source = undefined; // generated code is forbidden here (e.g. a content security policy)
    }
  }
  binding ??= { ...counts, tape: buildTape(laidOut, roots) };
  // On the tape, the parameters are its own slots: no copy per call.
  const numbers = 'tape' in binding ? binding.tape.parameters : binding.parameters;
  const onTape = 'tape' in binding ? binding.tape : undefined;
  const batched = (width: number) => {
    checkWidth('a batched function', width);
    // Generated code has no tape: one is built for the batches.
    const tape = onTape ?? buildTape(layout(roots, { inputs, parameters }, 'compile'), roots);
    const lanes = lanesOf(tape, width);
    lanes.parameters.set(numbers);
    return batchedFunction(lanes, parameters);
  };
  return Object.assign(callCompiled.bind(binding), {
    parameters: numbers,
    parameterValues: parameters,
    ...parameterSync(parameters, numbers),
    mode: source === undefined ? ('tape' as const) : ('code' as const),
    ...(source === undefined ? {} : { source }),
    ...(onTape === undefined ? {} : { portable: () => toPortable(onTape, inputs.length) }),
    batched,
  });
}

/**
 * V8 compiles a generated function when it is first called, and a function with too many locals
 * overflows the stack then: one call now, on zeros, finds that out at compile time.
 */
function probe(binding: Counts & Generated): void {
  const { kernel, parameters, evaluators, inputCount, outputCount } = binding;
  try {
    kernel(parameters, evaluators, new Float64Array(inputCount), new Float64Array(outputCount));
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

/** The kernel's source over `p`, `x` and `out`: straight-line code, then the outputs. */
function generate(
  { order, inputs, slotAt }: Layout,
  roots: readonly Value[],
  evaluators: Evaluator[],
): string {
  const names = new Map<Value, string>();
  slotAt.forEach((slot, i) => {
    if (slot >= 0)
      names.set(order[i]!, slot < inputs.length ? `x[${slot}]` : `p[${slot - inputs.length}]`);
  });
  const { lines, code } = straightLine(order, names, evaluators);
  roots.forEach((root, i) => lines.push(`out[${i}] = ${code.get(root)!};`));
  return ['"use strict";', ...lines].join('\n');
}
