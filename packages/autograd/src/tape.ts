import { placeIn } from './graph.js';
import { ops } from './ops/index.js';
import type { Op, Value } from './value.js';

/**
 * The built-in ops' codes on the tape: `runTape` computes them inline, in a switch, exactly as
 * their `evaluate` does (the op table test checks it), instead of calling a closure per node.
 */
const codes = new Map<Op, number>(
  (
    [
      'add',
      'mul',
      'neg',
      'div',
      'pow',
      'exp',
      'log',
      'sqrt',
      'abs',
      'sign',
      'step',
      'sin',
      'cos',
      'tanh',
      'sigmoid',
      'relu',
      'max',
      'mulNoNan',
    ] as const
  ).map((name, code) => [ops[name].op, code]),
);

/** An op the switch does not know (one a user defined): it calls the op's `evaluate`. */
const generic = -1;

/**
 * A sum of products as one step: a `dot` node, or a left-to-right chain of `add`s whose terms are
 * `mul`s (w1·x1 + w2·x2 + … + b written out), runs as one loop over pairs of slots. It adds in the
 * node's or the chain's own order, so its numbers are theirs to the bit.
 */
export const dotStep = -2;

/**
 * The tape of a graph: a flat list of steps over one Float64Array of slots (inputs, parameters, a
 * constant 1, the other constants, then one slot per step's result). A step is a built-in op by
 * its code (`runTape` computes it in a switch), an op a user defined (it calls `evaluate`), or a
 * fused sum of products (`dotStep`). `sweepTape` runs it backwards for gradients. `order` is
 * as `layout` gave it, its nodes numbered by their places.
 */
export function tape(
  order: readonly Value[],
  roots: readonly Value[],
  inputs: readonly Value[],
  parameters: readonly Value[],
): Tape {
  // Nodes are known by their places in `order`: arrays by place, not maps by node.
  const place = (node: Value) => placeIn(order, node);
  const absorbed = fusion(order, roots);
  const slotAt = new Int32Array(order.length).fill(-1);
  const slotOf = (node: Value) => slotAt[place(node)]!;
  const isAbsorbed = (node: Value) => absorbed[place(node)] === 1;
  const known = (leaf: Value) => place(leaf) >= 0;
  inputs.forEach((leaf, i) => known(leaf) && (slotAt[place(leaf)] = i));
  parameters.forEach((leaf, i) => known(leaf) && (slotAt[place(leaf)] = inputs.length + i));
  const one = inputs.length + parameters.length;
  let next = one + 1;
  const constants: [number, number][] = [[one, 1]];
  const steps: { op: Op; code: number; operands: number[]; result: number }[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const addPair = (a: Value, b: Value): void => {
    left.push(slotOf(a));
    right.push(slotOf(b));
  };
  /** Appends a `dot` node's pairs, in order. */
  const addPairs = (inputs: readonly Value[]): void => {
    for (let p = 0; p < inputs.length; p += 2) addPair(inputs[p]!, inputs[p + 1]!);
  };
  /** A term's pair: a product's two factors, or any other term and the constant 1. */
  const addTerm = (term: Value): void => {
    // (only products are taken in off a chain's left spine)
    if (isAbsorbed(term)) {
      addPair(term.inputs[0]!, term.inputs[1]!);
    } else {
      left.push(slotOf(term));
      right.push(one);
    }
  };
  /** Appends the pairs of a chain's terms, left to right: down its left spine, then back up. */
  const addChain = (head: Value): void => {
    const rightTerms: Value[] = [];
    let node = head;
    do {
      rightTerms.push(node.inputs[1]!);
      node = node.inputs[0]!;
    } while (node.op === ops.add.op && isAbsorbed(node));
    addTerm(node);
    for (let i = rightTerms.length - 1; i >= 0; i--) addTerm(rightTerms[i]!);
  };
  order.forEach((node, i) => {
    if (slotAt[i] !== -1 || absorbed[i] === 1) return;
    if (node.op === undefined) {
      constants.push([next, node.value]);
    } else if (node.op === ops.dot.op || (node.op === ops.add.op && node.inputs.some(isAbsorbed))) {
      const first = left.length;
      if (node.op === ops.add.op) addChain(node);
      else addPairs(node.inputs);
      steps.push({ op: node.op, code: dotStep, operands: [first, left.length], result: next });
    } else {
      const operands = node.inputs.map(slotOf);
      steps.push({ op: node.op, code: codes.get(node.op) ?? generic, operands, result: next });
    }
    slotAt[i] = next++;
  });
  const slots = new Float64Array(next);
  for (const [at, value] of constants) slots[at] = value;
  const offset = inputs.length;
  parameters.forEach((p, i) => (slots[offset + i] = p.value));
  // Which slots need an adjoint: those that depend on a parameter. A sum of products hands the
  // adjoint only to the side that needs it (a first layer's inputs need none).
  const needs = new Uint8Array(next).fill(1, offset, offset + parameters.length);
  const sides = new Uint8Array(steps.length);
  const leftStart = new Int32Array(steps.length).fill(-1);
  const rightStart = new Int32Array(steps.length).fill(-1);
  const rightStride = new Int32Array(steps.length);
  steps.forEach(({ code, operands, result }, k) => {
    if (code !== dotStep) {
      needs[result] = operands.some((o) => needs[o] === 1) ? 1 : 0;
      return;
    }
    const [first, end] = operands as [number, number];
    let [leftNeeds, rightNeeds] = [false, false];
    for (let p = first; p < end; p++) {
      leftNeeds ||= needs[left[p]!] === 1;
      rightNeeds ||= needs[right[p]!] === 1;
    }
    needs[result] = leftNeeds || rightNeeds ? 1 : 0;
    sides[k] = (leftNeeds ? 1 : 0) | (rightNeeds ? 2 : 0);
    // A neuron's pairs, but for its last (the bias and 1): its weights are consecutive
    // parameters, and its inputs evenly spaced slots that are none (consecutive inputs, or the
    // previous layer's outputs between their sums). Then the loops need no slot lists.
    const stride = end - first > 2 ? right[first + 1]! - right[first]! : 0;
    const isParameter = (s: number) => s >= offset && s < offset + parameters.length;
    let even = stride !== 0;
    for (let p = first; p < end && even; p++) {
      even = left[p] === left[first]! + (p - first) && isParameter(left[p]!);
      if (p < end - 1) {
        even &&= right[p] === right[first]! + stride * (p - first) && !isParameter(right[p]!);
      }
    }
    if (even) [leftStart[k], rightStart[k], rightStride[k]] = [left[first]!, right[first]!, stride];
  });
  return {
    slots,
    ops: steps.map((s) => s.op),
    opCodes: Int32Array.from(steps, (s) => s.code),
    operands: steps.map((s) => s.operands),
    results: Int32Array.from(steps, (s) => s.result),
    firstOperand: Int32Array.from(steps, (s) => s.operands[0]!),
    secondOperand: Int32Array.from(steps, (s) => s.operands[1] ?? -1),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    sides,
    leftStart,
    rightStart,
    rightStride,
    rootSlots: Int32Array.from(roots, slotOf),
    parameters: slots.subarray(offset, offset + parameters.length),
    parameterOffset: offset,
  };
}

/**
 * Which nodes a fused sum of products takes in: a `mul` used once, by an `add`; an `add` used
 * once, as the left input of another `add` (the chains `a + b + c` that JavaScript and the
 * engine's users build). A root is never taken in.
 */
function fusion(order: readonly Value[], roots: readonly Value[]): Uint8Array {
  const uses = new Int32Array(order.length);
  const user = new Int32Array(order.length);
  for (const root of roots) uses[placeIn(order, root)]!++;
  order.forEach(({ inputs }, i) => {
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k]!;
      if (input.op !== ops.mul.op && input.op !== ops.add.op) continue; // (only these are taken in)
      const j = placeIn(order, input);
      uses[j]!++;
      user[j] = i;
    }
  });
  const absorbed = new Uint8Array(order.length);
  order.forEach((node, i) => {
    if (uses[i] !== 1) return;
    const by = order[user[i]!]!;
    if (by.op !== ops.add.op || by.inputs[0] === by.inputs[1]) return;
    if (node.op === ops.mul.op || (node.op === ops.add.op && by.inputs[0] === node)) {
      absorbed[i] = 1;
    }
  });
  return absorbed;
}

/** A tape: slots for every value, and per step its code, its operands' and its result's slots. */
export interface Tape {
  slots: Float64Array;
  ops: Op[];
  /** Each step's code in the switch of `runTape`, -1 to call its op's `evaluate`, -2 for a fused sum of products. */
  opCodes: Int32Array;
  operands: number[][];
  results: Int32Array;
  /** Each step's operand slots; for a fused sum of products, where its pairs start and end. */
  firstOperand: Int32Array;
  secondOperand: Int32Array;
  /** The fused sums' pairs of slots, multiplied then added. */
  left: Int32Array;
  right: Int32Array;
  /** Per fused step: which sides need adjoints (1 the left, 2 the right, 3 both). */
  sides: Uint8Array;
  /**
   * Per fused step, when its pairs but the last are evenly spaced: its first left slot (the rest
   * follow it, the last pair's too) and its first right slot and their spacing; else -1.
   */
  leftStart: Int32Array;
  rightStart: Int32Array;
  rightStride: Int32Array;
  rootSlots: Int32Array;
  /** The parameters' slots: updating them in place updates the tape. */
  parameters: Float64Array;
  parameterOffset: number;
}
