import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant } from '../value.js';

/** The unit step: 1 for x > 0, else 0 (the derivative of `relu`); its own derivative is 0. @example step(x) */
export const step: OpFunction<1> = defineOp({
  name: 'step',
  arity: 1,
  evaluate: (x) => (x > 0 ? 1 : x <= 0 ? 0 : NaN),
  emit: (x) => `(${x} > 0 ? 1 : ${x} <= 0 ? 0 : NaN)`,
  partials: () => [constant(0)],
  notation: call('step'),
});
