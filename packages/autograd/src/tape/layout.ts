// Where a compiled graph's numbers go, the one numbering both compilers use: the graph's nodes by
// their place in a topological order, and the leaves' slots, the inputs first, then the parameters
// (the tape goes on numbering slots for its constants and steps).
import { AutogradError, describe, expectValues } from '../errors.js';
import { numberNodes, placeIn, topologicalOrder } from '../graph.js';
import type { Value } from '../value.js';

/** The leaves a compiled function takes: its inputs, and the parameters it is bound to. */
export interface Leaves {
  /** The leaves whose numbers are given on each call, in order (e.g. a sample's inputs and target). */
  inputs: readonly Value[];
  /**
   * The leaves bound to the `parameters` array, which an optimizer may update in place (default:
   * every other variable the outputs depend on, in the order they are first reached).
   */
  parameters?: readonly Value[];
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

/** Graphs laid out for compiling. */
export interface Layout {
  /** Every node the roots depend on, each after its inputs; a node's place is its index here. */
  readonly order: readonly Value[];
  /** The inputs, in order. */
  readonly inputs: readonly Value[];
  /** The parameters, in order. */
  readonly parameters: readonly Value[];
  /** By place: a leaf's slot (input i is slot i, parameter j slot `inputs.length + j`), else -1. */
  readonly slotAt: Int32Array;
}

/** Checks a compiler's options: an object with its inputs, and perhaps its parameters. */
export function checkLeaves(options: Leaves, who: string): void {
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

/**
 * The graphs' nodes in order (numbered by place on the nodes themselves, see `placeIn`) and their
 * leaves' slots: the inputs, then the parameters (given, or every other variable in the order
 * first reached). A leaf listed twice, or a variable that is neither, is an error that names it.
 */
export function layout(roots: readonly Value[], options: Leaves, who: string): Layout {
  const order = topologicalOrder(roots);
  const inputs = [...options.inputs];
  const isInput = new Set(inputs);
  const parameters = [
    ...(options.parameters ?? order.filter((n) => n.isVariable && !isInput.has(n))),
  ];
  numberNodes(order);
  const slotAt = new Int32Array(order.length).fill(-1);
  const outside = new Map<Value, number>(); // listed leaves that the outputs do not depend on
  const place = (leaf: Value, slot: number, what: string) => {
    const at = placeIn(order, leaf);
    const taken = at >= 0 ? slotAt[at]! : (outside.get(leaf) ?? -1);
    if (taken >= 0) {
      const name = leaf.label ?? `#${leaf.id}`;
      const twice = taken < inputs.length === slot < inputs.length;
      throw new AutogradError(
        `${who}: leaf ${name} is ${twice ? `twice among the ${what}` : 'both an input and a parameter'}`,
      );
    }
    if (at >= 0) slotAt[at] = slot;
    else outside.set(leaf, slot);
  };
  inputs.forEach((leaf, i) => place(leaf, i, 'inputs'));
  parameters.forEach((leaf, j) => place(leaf, inputs.length + j, 'parameters'));
  order.forEach((node, i) => {
    if (node.op === undefined && !node.isConstant && slotAt[i] === -1) {
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

function toValues(parameters: readonly Value[], numbers: Float64Array): void {
  for (let i = 0; i < parameters.length; i++) parameters[i]!.value = numbers[i]!;
}

function fromValues(parameters: readonly Value[], numbers: Float64Array): void {
  for (let i = 0; i < parameters.length; i++) numbers[i] = parameters[i]!.value;
}
