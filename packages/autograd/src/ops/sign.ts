import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant } from '../value.js';

/** The sign of x: -1, 0 or 1 (the derivative of `abs`); its own derivative is 0. @example sign(x) */
export const sign: OpFunction<1> = defineOp({
  name: 'sign',
  arity: 1,
  evaluate: Math.sign,
  emit: (x) => `Math.sign(${x})`,
  partials: () => [constant(0)],
  notation: call('sign'),
});
