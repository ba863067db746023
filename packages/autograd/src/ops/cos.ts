import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { neg } from './neg.js';
import { sin } from './sin.js';

/** The cosine of x (radians). @example cos(x) */
export const cos: OpFunction<1> = defineOp({
  name: 'cos',
  arity: 1,
  evaluate: Math.cos,
  emit: (x) => `Math.cos(${x})`,
  partials: ([x]) => [neg(sin(x))],
  notation: call('cos', '\\cos'),
});
