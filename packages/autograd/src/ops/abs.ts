import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { sign } from './sign.js';

/** The absolute value |x|; its derivative at 0 is taken as 0. @example abs(x) */
export const abs: OpFunction<1> = defineOp({
  name: 'abs',
  arity: 1,
  evaluate: Math.abs,
  emit: (x) => `Math.abs(${x})`,
  partials: ([x]) => [sign(x)],
  notation: {
    precedence: Precedence.atom,
    text: ([x], show) => `abs(${show(x)})`,
    latex: ([x], show) => `\\left|${show(x)}\\right|`,
  },
});
