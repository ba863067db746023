import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { cos } from './cos.js';

/** The sine of x (radians). @example sin(x) */
export const sin: OpFunction<1> = defineOp({
  name: 'sin',
  arity: 1,
  evaluate: Math.sin,
  emit: (x) => `Math.sin(${x})`,
  partials: ([x]) => [cos(x)],
  notation: call('sin', '\\sin'),
});
