import { AutogradError } from './errors.js';
import { topologicalOrder } from './graph.js';
import type { Op } from './op.js';
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
}

/** A compiled graph: call it with the inputs' numbers to get the outputs' numbers. */
export interface Compiled {
  /** The outputs for these input numbers, written into `out` (a reused array if not given). */
  (inputs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** The bound parameters' numbers, in order; update them in place between calls. */
  readonly parameters: Float64Array;
  /** The Values those numbers belong to. */
  readonly parameterValues: readonly Value[];
  /** Copies `parameters` into the Values' `value`. */
  syncToValues(): void;
  /** Copies the Values' `value` into `parameters` (after something else changed them). */
  syncFromValues(): void;
  /** Which way it runs. */
  readonly mode: 'code' | 'tape';
  /** The generated JavaScript, in `'code'` mode. */
  readonly source?: string;
}

/** Graphs with more nodes than this run on the tape in `'auto'` mode: one huge function compiles slowly. */
const largestGeneratedFunction = 20_000;

/**
 * Generated factories by source, so compiling the same graph shape again (training the same
 * network again) reuses code V8 has already optimized instead of starting cold. Small and bounded.
 */
const factories = new Map<string, (p: Float64Array, evaluators: unknown[]) => unknown>();
const factoryCacheSize = 64;

function factoryFor(source: string) {
  let factory = factories.get(source);
  if (factory === undefined) {
    factory = new Function('p', 'evaluators', source) as (
      p: Float64Array,
      evaluators: unknown[],
    ) => unknown;
    if (factories.size >= factoryCacheSize) factories.delete(factories.keys().next().value!);
    factories.set(source, factory);
  }
  return factory;
}

/**
 * Compiles output graphs (e.g. a loss and its gradients) into a function over typed arrays that
 * evaluates them for new inputs without building any Value. The graphs are simplified first, so
 * shared sub-expressions are computed once and constants are folded.
 * @example const step = compile([loss, ...grad(loss, weights)], { inputs: [x, y] }); step([0.5, 1]);
 */
export function compile(outputs: readonly Value[], options: CompileOptions): Compiled {
  const roots = simplify(outputs);
  const order = topologicalOrder(roots);
  const inputs = [...options.inputs];
  const parameters = [
    ...(options.parameters ?? order.filter((n) => n.isVariable && !inputs.includes(n))),
  ];
  const leafSlot = new Map<Value, string>();
  inputs.forEach((leaf, i) => leafSlot.set(leaf, `x[${i}]`));
  parameters.forEach((leaf, i) => {
    if (leafSlot.has(leaf))
      throw new AutogradError(`compile: a leaf is both an input and a parameter`);
    leafSlot.set(leaf, `p[${i}]`);
  });
  for (const node of order) {
    if (node.op === undefined && !node.isConstant && !leafSlot.has(node)) {
      throw new AutogradError(
        `compile: variable ${node.label ?? `#${node.id}`} is neither an input nor a parameter`,
      );
    }
  }

  const parameterArray = Float64Array.from(parameters, (p) => p.value);
  const mode = options.mode ?? 'auto';
  let run: ((x: ArrayLike<number>, out: Float64Array) => void) | undefined;
  let source: string | undefined;
  if (mode === 'code' || (mode === 'auto' && order.length <= largestGeneratedFunction)) {
    source = generate(order, roots, leafSlot);
    try {
      const evaluators = order
        .filter((n) => n.op !== undefined && n.op.emit === undefined)
        .map((n) => n.op!.evaluate);
      run = factoryFor(source)(parameterArray, evaluators) as typeof run;
    } catch (error) {
      if (mode === 'code') throw error;
      source = undefined; // generated code is forbidden here (e.g. a content security policy)
    }
  }
  run ??= tape(order, roots, inputs, parameters, parameterArray);

  const outputCount = roots.length;
  const compiled = (
    x: ArrayLike<number>,
    out: Float64Array = new Float64Array(outputCount),
  ): Float64Array => {
    if (x.length !== inputs.length) {
      throw new AutogradError(`compiled function takes ${inputs.length} inputs, got ${x.length}`);
    }
    run(x, out);
    return out;
  };
  return Object.assign(compiled, {
    parameters: parameterArray,
    parameterValues: parameters,
    syncToValues: () => {
      for (let i = 0; i < parameters.length; i++) parameters[i]!.value = parameterArray[i]!;
    },
    syncFromValues: () => {
      for (let i = 0; i < parameters.length; i++) parameterArray[i] = parameters[i]!.value;
    },
    mode: source === undefined ? ('tape' as const) : ('code' as const),
    ...(source === undefined ? {} : { source }),
  });
}

/** Straight-line JavaScript: one `const` per op node, in topological order. */
function generate(
  order: readonly Value[],
  roots: readonly Value[],
  leafSlot: ReadonlyMap<Value, string>,
): string {
  const code = new Map<Value, string>();
  const lines = ['"use strict";', 'return function compiled(x, out) {'];
  let evaluator = 0;
  for (const node of order) {
    if (node.op === undefined) {
      code.set(node, leafSlot.get(node) ?? literal(node.value));
      continue;
    }
    const operands = node.inputs.map((input) => code.get(input)!);
    const name = `v${code.size}`;
    const expression =
      node.op.emit?.(...operands) ?? `evaluators[${evaluator++}](${operands.join(', ')})`;
    lines.push(`  const ${name} = ${expression};`);
    code.set(node, name);
  }
  roots.forEach((root, i) => lines.push(`  out[${i}] = ${code.get(root)!};`));
  lines.push('};');
  return lines.join('\n');
}

/** A number as JavaScript source that reads back exactly. */
function literal(value: number): string {
  if (Object.is(value, -0)) return '(-0)';
  return value < 0 ? `(${value})` : String(value);
}

/**
 * The fallback: a flat tape over one Float64Array of slots (inputs, parameters, constants, then
 * one per op node), run by a loop that calls each op's `evaluate`.
 */
function tape(
  order: readonly Value[],
  roots: readonly Value[],
  inputs: readonly Value[],
  parameters: readonly Value[],
  parameterArray: Float64Array,
): (x: ArrayLike<number>, out: Float64Array) => void {
  const slot = new Map<Value, number>();
  inputs.forEach((leaf, i) => slot.set(leaf, i));
  parameters.forEach((leaf, i) => slot.set(leaf, inputs.length + i));
  const values: number[] = [];
  const ops: Op[] = [];
  const operands: number[][] = [];
  let next = inputs.length + parameters.length;
  const constants: [number, number][] = [];
  for (const node of order) {
    if (slot.has(node)) continue;
    slot.set(node, next);
    if (node.op === undefined) constants.push([next, node.value]);
    else {
      ops.push(node.op);
      operands.push(node.inputs.map((input) => slot.get(input)!));
      values.push(next);
    }
    next++;
  }
  const slots = new Float64Array(next);
  for (const [at, value] of constants) slots[at] = value;
  const results = Int32Array.from(values);
  const firstOperand = Int32Array.from(operands, (o) => o[0]!);
  const secondOperand = Int32Array.from(operands, (o) => o[1] ?? -1);
  const rootSlots = Int32Array.from(roots, (root) => slot.get(root)!);
  const parameterOffset = inputs.length;
  return (x, out) => {
    for (let i = 0; i < x.length; i++) slots[i] = x[i]!;
    slots.set(parameterArray, parameterOffset);
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k]!;
      const arity = operands[k]!.length;
      slots[results[k]!] =
        arity === 1
          ? op.evaluate(slots[firstOperand[k]!]!)
          : arity === 2
            ? op.evaluate(slots[firstOperand[k]!]!, slots[secondOperand[k]!]!)
            : op.evaluate(...operands[k]!.map((s) => slots[s]!));
    }
    for (let i = 0; i < rootSlots.length; i++) out[i] = slots[rootSlots[i]!]!;
  };
}
