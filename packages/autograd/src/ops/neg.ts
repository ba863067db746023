import { Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant } from '../value.js';

/** -x. @example neg(x) */
export const neg: OpFunction<1> = defineOp({
  name: 'neg',
  arity: 1,
  evaluate: (x) => -x,
  emit: (x) => `-${x}`,
  partials: () => [constant(-1)],
  simplify: ([x]) => (x.op === neg.op ? x.inputs[0] : undefined),
  notation: {
    precedence: Precedence.negation,
    text: ([x], show) => `-${show(x, Precedence.power)}`,
    latex: ([x], show) => `-${show(x, Precedence.power)}`,
  },
});
