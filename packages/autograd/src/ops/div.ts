import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant } from '../value.js';
import { neg } from './neg.js';

/** a / b. @example div(x, 2) */
export const div: OpFunction<2> = defineOp({
  name: 'div',
  arity: 2,
  evaluate: (a, b) => a / b,
  emit: (a, b) => `${a} / ${b}`,
  // d(a/b)/db = -a/b² = -(a/b)/b, which reuses the output.
  partials: ([, b], output) => [div(1, b), neg(div(output, b))],
  simplify: ([a, b]) => (isConstant(b, 1) ? a : isConstant(a, 0) ? constant(0) : undefined),
  notation: {
    precedence: Precedence.product,
    text: ([a, b], show) => `${show(a, Precedence.product)} / ${show(b, Precedence.negation)}`,
    latex: ([a, b], show) => `\\frac{${show(a)}}{${show(b)}}`,
  },
});
