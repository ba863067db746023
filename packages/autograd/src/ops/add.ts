import { Precedence, type Notation } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant, type Value } from '../value.js';
import { neg } from './neg.js';

/** `a + b`, written `a - b` when `b` is an unlabelled `-b` (that is how `sub` is built). */
const sum: Notation<2>['text'] = ([a, b], show) =>
  b.op === neg.op && b.label === undefined
    ? `${show(a, Precedence.sum)} - ${show(b.inputs[0]!, Precedence.product)}`
    : `${show(a, Precedence.sum)} + ${show(b, Precedence.sum)}`;

/** a + b. @example add(x, 1) */
export const add: OpFunction<2> = defineOp({
  name: 'add',
  arity: 2,
  evaluate: (a, b) => a + b,
  emit: (a, b) => `${a} + ${b}`,
  partials: () => [constant(1), constant(1)],
  simplify: ([a, b]): Value | undefined =>
    isConstant(a, 0) ? b : isConstant(b, 0) ? a : undefined,
  notation: { precedence: Precedence.sum, text: sum, latex: sum },
});
