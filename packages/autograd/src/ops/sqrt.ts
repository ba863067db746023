import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { div } from './div.js';

/** The square root √x. @example sqrt(x) */
export const sqrt: OpFunction<1> = defineOp({
  name: 'sqrt',
  arity: 1,
  evaluate: Math.sqrt,
  emit: (x) => `Math.sqrt(${x})`,
  partials: (_inputs, output) => [div(0.5, output)],
  notation: {
    precedence: Precedence.atom,
    text: ([x], show) => `sqrt(${show(x)})`,
    latex: ([x], show) => `\\sqrt{${show(x)}}`,
  },
});
