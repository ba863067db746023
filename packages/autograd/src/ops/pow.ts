import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant } from '../value.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** a to the power b; the exponent may be a Value too. @example pow(x, 2) */
export const pow: OpFunction<2> = defineOp({
  name: 'pow',
  arity: 2,
  evaluate: (a, b) => a ** b,
  emit: (a, b) => `${a} ** ${b}`,
  // d/da = b·a^(b-1); d/db = a^b·ln a, only ever taken when the exponent depends on a variable.
  partials: ([a, b], output) => [mul(b!, pow(a!, sub(b!, 1))), mul(output, log(a!))],
  numericPartial: (index, output, a, b) => (index === 0 ? b * a ** (b - 1) : output * Math.log(a)),
  simplify: ([a, b]) => (isConstant(b!, 1) ? a : isConstant(b!, 0) ? constant(1) : undefined),
  notation: {
    precedence: Precedence.power,
    text: ([a, b], show) => `${show(a!, Precedence.atom)} ^ ${show(b!, Precedence.power)}`,
    latex: ([a, b], show) => `${show(a!, Precedence.atom)}^{${show(b!)}}`,
  },
});
