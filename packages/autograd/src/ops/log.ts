import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { div } from './div.js';

/** The natural logarithm ln x. @example log(x) */
export const log: OpFunction<1> = defineOp({
  name: 'log',
  arity: 1,
  evaluate: Math.log,
  emit: (x) => `Math.log(${x})`,
  partials: ([x]) => [div(1, x)],
  notation: call('log', '\\ln'),
});
