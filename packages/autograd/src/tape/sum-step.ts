// The fused step of a sum of products (a neuron's w1·x1 + … + b): its build, its forward run,
// its reverse sweep and its written form, side by side.
import { placeIn } from '../graph.js';
import { ops } from '../ops/index.js';
import type { Value } from '../value.js';
import { addAdjoint, type SumSteps, type Tape } from './tape.js';

/**
 * Which nodes a sum of products takes in, by place in `order`: a `mul` used once, by an `add`;
 * an `add` used once, as the left input of another `add` (the chains `a + b + c` that JavaScript
 * and the engine's users build). A root is never taken in. A `dot` node is a sum by itself.
 */
export function fusion(order: readonly Value[], roots: readonly Value[]): Uint8Array {
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

/** Slots appended one by one, in an Int32Array that doubles as it fills (half a JS array's bytes). */
class SlotList {
  private slots = new Int32Array(256);
  length = 0;

  push(slot: number): void {
    if (this.length === this.slots.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots[this.length++] = slot;
  }

  /** Slot i. */
  at(i: number): number {
    return this.slots[i]!;
  }

  /** The slots so far (a view, until the next push). */
  view(): Int32Array {
    return this.slots.subarray(0, this.length);
  }
}

/** The sums of a tape being built: their pairs of slots, in order, row by row. */
export class SumStepRows {
  private readonly left = new SlotList();
  private readonly right = new SlotList();
  private readonly first: number[] = [];
  private readonly end: number[] = [];

  constructor(
    /** A node's slot. */
    private readonly slotOf: (node: Value) => number,
    /** Whether a node is taken into the sum that uses it (see `fusion`). */
    private readonly isAbsorbed: (node: Value) => boolean,
    /** The slot that holds the constant 1, the partner of a term that is not a product. */
    private readonly one: number,
  ) {}

  /** Adds the sum of a `dot` node (its pairs, in order) or of a chain of `add`s; returns its row. */
  add(node: Value): number {
    this.first.push(this.left.length);
    if (node.op === ops.dot.op) {
      for (let p = 0; p < node.inputs.length; p += 2)
        this.pair(node.inputs[p]!, node.inputs[p + 1]!);
    } else {
      // Down the chain's left spine, then back up: its terms left to right, as it adds them.
      const rightTerms: Value[] = [];
      let link = node;
      do {
        rightTerms.push(link.inputs[1]!);
        link = link.inputs[0]!;
      } while (link.op === ops.add.op && this.isAbsorbed(link));
      this.term(link);
      for (let i = rightTerms.length - 1; i >= 0; i--) this.term(rightTerms[i]!);
    }
    this.end.push(this.left.length);
    return this.first.length - 1;
  }

  private pair(a: Value, b: Value): void {
    this.left.push(this.slotOf(a));
    this.right.push(this.slotOf(b));
  }

  /** A term's pair: a product's two factors, or any other term and the constant 1. */
  private term(term: Value): void {
    if (this.isAbsorbed(term)) this.pair(term.inputs[0]!, term.inputs[1]!);
    else {
      this.left.push(this.slotOf(term));
      this.right.push(this.one);
    }
  }

  /** Which sides of sum `row` need adjoints (1 the left, 2 the right), given the slots that do. */
  sides(row: number, needs: Uint8Array): number {
    let [leftNeeds, rightNeeds] = [false, false];
    for (let p = this.first[row]!; p < this.end[row]!; p++) {
      leftNeeds ||= needs[this.left.at(p)] === 1;
      rightNeeds ||= needs[this.right.at(p)] === 1;
    }
    return (leftNeeds ? 1 : 0) | (rightNeeds ? 2 : 0);
  }

  /** The slots the sums read: their pairs' left slots, and their right. */
  operands(): Int32Array[] {
    return [this.left.view(), this.right.view()];
  }

  /**
   * The rows as the tape keeps them, with their sides (see `sides`) and evenly spaced pairs,
   * whose left slots are weights: parameters all read by no other operand (`weightOf` 1), or all
   * read by others too (2, a weight shared by several nodes); else 0.
   */
  table(sides: Uint8Array, weightOf: (slot: number) => number): SumSteps {
    const { first, end } = this;
    const [left, right] = [this.left.view().slice(), this.right.view().slice()];
    const count = first.length;
    const [leftStart, rightStart, rightStride] = [-1, -1, 0].map((fill) =>
      new Int32Array(count).fill(fill),
    ) as [Int32Array, Int32Array, Int32Array];
    const sharedWeights = new Uint8Array(count);
    for (let row = 0; row < count; row++) {
      // A neuron's pairs but its last (the bias and 1): its weights are consecutive parameters,
      // and its inputs evenly spaced slots that are none.
      const [from, to] = [first[row]!, end[row]!];
      const stride = to - from > 2 ? right[from + 1]! - right[from]! : 0;
      const kind = weightOf(left[from]!);
      let even = stride !== 0 && kind !== 0;
      for (let p = from; p < to && even; p++) {
        even = left[p] === left[from]! + (p - from) && weightOf(left[p]!) === kind;
        if (p < to - 1) {
          even &&= right[p] === right[from]! + stride * (p - from) && weightOf(right[p]!) !== 1;
        }
      }
      if (even) {
        [leftStart[row], rightStart[row], rightStride[row]] = [left[from]!, right[from]!, stride];
        sharedWeights[row] = kind === 2 ? 1 : 0;
      }
    }
    return {
      first: Int32Array.from(first),
      end: Int32Array.from(end),
      left,
      right,
      sides,
      leftStart,
      rightStart,
      rightStride,
      sharedWeights,
    };
  }
}

/** Sum `row`'s value: its pairs' products added left to right, as its nodes add them. */
export function sumOfProducts(tape: Tape, row: number): number {
  const { slots, sums } = tape;
  const { left, right } = sums;
  const from = sums.first[row]!;
  const to = sums.end[row]!;
  const l = sums.leftStart[row]!;
  if (l < 0) {
    let sum = slots[left[from]!]! * slots[right[from]!]!;
    for (let p = from + 1; p < to; p++) sum += slots[left[p]!]! * slots[right[p]!]!;
    return sum;
  }
  const r = sums.rightStart[row]!;
  const stride = sums.rightStride[row]!;
  const last = to - from - 1;
  let sum = slots[l]! * slots[r]!;
  for (let i = 1, input = r + stride; i < last; i++, input += stride) {
    sum += slots[l + i]! * slots[input]!;
  }
  return sum + slots[l + last]! * slots[right[to - 1]!]!;
}

/** Sum `row` backwards, given its adjoint g: each factor that needs it gains g × its partner. */
export function sweepSum(
  tape: Tape,
  row: number,
  g: number,
  adjoints: Float64Array,
  gradients: Float64Array,
): void {
  const { sums } = tape;
  const even = sums.leftStart[row]! >= 0;
  const end = sums.end[row]!;
  if (even) sweepEvenProducts(tape, row, g, adjoints, gradients);
  for (let p = even ? end - 1 : sums.first[row]!; p < end; p++) {
    sweepPair(tape, row, g, p, adjoints, gradients);
  }
}

/** Pair `p` of sum `row` backwards: each side that needs it gains g × the other. */
export function sweepPair(
  tape: Tape,
  row: number,
  g: number,
  p: number,
  adjoints: Float64Array,
  gradients: Float64Array,
): void {
  const { slots, sums } = tape;
  const l = sums.left[p]!;
  const r = sums.right[p]!;
  const sides = sums.sides[row]!;
  if (sides & 1) addAdjoint(tape, adjoints, gradients, l, g * slots[r]!);
  if (sides & 2) addAdjoint(tape, adjoints, gradients, r, g * slots[l]!);
}

/**
 * A neuron's evenly spaced pairs backwards (all but its last; see `SumSteps.leftStart`): its
 * weights' gradients and, where they need them, its inputs' adjoints, in loops.
 */
export function sweepEvenProducts(
  tape: Tape,
  row: number,
  g: number,
  adjoints: Float64Array,
  gradients: Float64Array,
): void {
  const { slots, sums } = tape;
  const count = sums.end[row]! - sums.first[row]! - 1;
  const l = sums.leftStart[row]!;
  const r = sums.rightStart[row]!;
  const stride = sums.rightStride[row]!;
  // A weight's adjoint is its gradient; a shared weight's, its slot's (see `Tape.reused`).
  const shared = sums.sharedWeights[row] === 1;
  const into = shared ? adjoints : gradients;
  const weight = shared ? l : l - tape.parameterOffset;
  const sides = sums.sides[row]!;
  if (sides === 3) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      into[weight + i]! += g * slots[input]!;
      adjoints[input]! += g * slots[l + i]!;
    }
  } else if (sides === 1) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      into[weight + i]! += g * slots[input]!;
    }
  } else if (sides === 2) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      adjoints[input]! += g * slots[l + i]!;
    }
  }
}

/**
 * Step k, a sum, written out: forward and backwards pair by pair when it has up to `longest`
 * pairs, else by calls to `sumOfProducts` and the sweep's own functions.
 */
export function writtenSum(
  tape: Tape,
  k: number,
  longest: number,
  adjoint: (slot: number) => string,
): [string, string] {
  const { sums } = tape;
  const row = tape.rows[k]!;
  const [from, to, result] = [sums.first[row]!, sums.end[row]!, tape.results[k]!];
  if (to - from > longest) {
    const sweep =
      sums.leftStart[row]! >= 0
        ? `sweepEven(tape, ${row}, g, adj, gradients); sweepPair(tape, ${row}, g, ${to - 1}, adj, gradients);`
        : `for (let p = ${from}; p < ${to}; p++) sweepPair(tape, ${row}, g, p, adj, gradients);`;
    return [`s[${result}] = sum(tape, ${row});`, sweep];
  }
  const products: string[] = [];
  let sweep = '';
  for (let p = from; p < to; p++) {
    const [l, r] = [sums.left[p]!, sums.right[p]!];
    products.push(`s[${l}] * s[${r}]`);
    if (sums.sides[row]! & 1) sweep += `${adjoint(l)} += g * s[${r}]; `;
    if (sums.sides[row]! & 2) sweep += `${adjoint(r)} += g * s[${l}]; `;
  }
  return [`s[${result}] = ${products.join(' + ')};`, sweep];
}
