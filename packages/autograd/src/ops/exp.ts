import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';

/** e to the power x. @example exp(x) */
export const exp: OpFunction<1> = defineOp({
  name: 'exp',
  arity: 1,
  evaluate: Math.exp,
  emit: (x) => `Math.exp(${x})`,
  partials: (_inputs, output) => [output],
  notation: call('exp', '\\exp'),
});
