import { infix, Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant } from '../value.js';
import { neg } from './neg.js';

/** a · b. @example mul(w1, x1) */
export const mul: OpFunction<2> = defineOp({
  name: 'mul',
  arity: 2,
  evaluate: (a, b) => a * b,
  emit: (a, b) => `${a} * ${b}`,
  partials: ([a, b]) => [b, a],
  simplify: ([a, b]) => {
    if (isConstant(a, 0) || isConstant(b, 0)) return constant(0);
    if (isConstant(a, 1)) return b;
    if (isConstant(b, 1)) return a;
    if (isConstant(a, -1)) return neg(b);
    if (isConstant(b, -1)) return neg(a);
    return undefined;
  },
  notation: infix('*', Precedence.product, { latex: '\\cdot' }),
});
