import { Precedence, type Notation, type Printable } from '../format.js';
import { defineOp, mostInputs, type OpFunction } from '../op.js';
import { AutogradError, describe } from '../errors.js';
import { constant, isConstant, toValue, Value, type Operand } from '../value.js';
import { mul } from './mul.js';

/** `a1 * b1 + a2 * b2 + …`, a factor 1 left out (a bias enters as the pair (b, 1) and prints `b`). */
const sumOfProducts =
  (times: string): Notation<'pairs'>['text'] =>
  (inputs, show) => {
    const terms: string[] = [];
    for (let i = 0; i < inputs.length; i += 2) {
      const [a, b] = [inputs[i]!, inputs[i + 1]!];
      if (isOne(b)) terms.push(show(a, Precedence.sum));
      else if (isOne(a)) terms.push(show(b, Precedence.sum));
      else terms.push(`${show(a, Precedence.product)} ${times} ${show(b, Precedence.product)}`);
    }
    return terms.join(' + ');
  };

/** An unlabelled constant 1, such as a bias's partner: left out when printed. */
const isOne = (x: Printable) =>
  x.op === undefined && !x.isVariable && x.value === 1 && x.label === undefined;

/**
 * a1·b1 + a2·b2 + …, added left to right: a neuron's weighted sum (its bias as the pair (b, 1),
 * which is exact) as one node instead of a `mul` per weight and an `add` per term. The partial for
 * each input is its partner.
 * @example dot(w1, x1, w2, x2, b, 1)
 */
export const dot: OpFunction<'pairs'> = defineOp({
  name: 'dot',
  arity: 'pairs',
  evaluate: (...inputs) => {
    let sum = inputs[0]! * inputs[1]!;
    for (let i = 2; i < inputs.length; i += 2) sum += inputs[i]! * inputs[i + 1]!;
    return sum;
  },
  emit: (...operands) => {
    const terms: string[] = [];
    for (let i = 0; i < operands.length; i += 2) terms.push(`${operands[i]} * ${operands[i + 1]}`);
    return terms.join(' + ');
  },
  partials: (inputs) => inputs.map((_, i) => inputs[i ^ 1]!),
  // Pairs with a factor 0 drop out (as `x * 0 → 0`); one pair left is a `mul`.
  simplify: (inputs): Value | undefined => {
    const kept: Value[] = [];
    for (let i = 0; i < inputs.length; i += 2) {
      const [a, b] = [inputs[i]!, inputs[i + 1]!];
      if (!isConstant(a, 0) && !isConstant(b, 0)) kept.push(a, b);
    }
    if (kept.length === 0) return constant(0);
    if (kept.length === 2) return mul(kept[0]!, kept[1]!);
    return kept.length < inputs.length ? dot(...kept) : undefined;
  },
  notation: {
    precedence: Precedence.sum,
    text: sumOfProducts('*'),
    latex: sumOfProducts('\\cdot'),
  },
});

/** The most pairs in one `dot` node that `dotProduct` builds. */
const largestDot = mostInputs / 2;

/**
 * a1·b1 + a2·b2 + … over two lists of the same length, added left to right: `dot` over their
 * pairs, for lists of any length (a call with a million arguments would overflow the stack). A
 * sum of more than 10,000 products is a chain of dots of at most 10,000 pairs, each after the
 * first starting with the pair (sum so far, 1): the same additions in the same order, so the same
 * number.
 * @example dotProduct([w1, w2, b], [x1, x2, 1])
 */
export function dotProduct(a: readonly Operand[], b: readonly Operand[]): Value {
  const lists = [a, b].every((list: unknown) => Array.isArray(list)); // (no narrowing to any[])
  if (!lists || a.length !== b.length || a.length === 0) {
    throw new AutogradError(
      `dotProduct needs two non-empty arrays of the same length, got ${describe(a)} and ${describe(b)}`,
    );
  }
  // Each node made here directly, its inputs the list built at its size (no copies of a neuron's
  // inputs on the way through `dot`'s arguments), its number dot's: the products left to right.
  let sum: Value | undefined;
  for (let start = 0; start < a.length;) {
    const carried = sum === undefined ? 0 : 1;
    const end = Math.min(start + largestDot - carried, a.length);
    const pairs = new Array<Value>(2 * (carried + end - start));
    if (sum !== undefined) [pairs[0], pairs[1]] = [sum, new Value(1)];
    for (let i = start, p = 2 * carried; i < end; i++, p += 2) {
      pairs[p] = operand(a, i, 'a');
      pairs[p + 1] = operand(b, i, 'b');
    }
    let value = pairs[0]!.value * pairs[1]!.value;
    for (let p = 2; p < pairs.length; p += 2) value += pairs[p]!.value * pairs[p + 1]!.value;
    sum = new Value(value, dot.op, pairs);
    start = end;
  }
  return sum!;
}

/** Element i of a list as a Value (a number becomes a constant). */
function operand(list: readonly Operand[], i: number, name: string): Value {
  const x = list[i];
  return x instanceof Value ? x : toValue(x, `dotProduct (${name}[${i}])`);
}
