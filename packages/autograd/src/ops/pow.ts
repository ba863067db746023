import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant } from '../value.js';
import { log } from './log.js';
import { mulNoNan } from './mul-no-nan.js';
import { sub } from './sub.js';

/** a to the power b; the exponent may be a Value too. @example pow(x, 2) */
export const pow: OpFunction<2> = defineOp({
  name: 'pow',
  arity: 2,
  evaluate: (a, b) => a ** b,
  emit: (a, b) => `${a} ** ${b}`,
  // d/da = b·a^(b-1); d/db = a^b·ln a, only ever taken when the exponent depends on a variable.
  // Their limits where a factor is 0: d(a⁰)/da = 0 even at a = 0, and d(0^b)/db = 0 for b > 0.
  partials: ([a, b], output) => [mulNoNan(b, pow(a, sub(b, 1))), mulNoNan(output, log(a))],
  simplify: ([a, b]) => (isConstant(b, 1) ? a : isConstant(b, 0) ? constant(1) : undefined),
  notation: {
    precedence: Precedence.power,
    text: ([a, b], show) => `${show(a, Precedence.atom)} ^ ${show(b, Precedence.power)}`,
    latex: ([a, b], show) => `${show(a, Precedence.atom)}^{${show(b)}}`,
  },
});
