import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** The hyperbolic tangent of x. @example tanh(x) */
export const tanh: OpFunction<1> = defineOp({
  name: 'tanh',
  arity: 1,
  evaluate: Math.tanh,
  emit: (x) => `Math.tanh(${x})`,
  // 1 - tanh², written as a product: a multiplication is cheaper than pow in compiled code.
  partials: (_inputs, output) => [sub(1, mul(output, output))],
  notation: call('tanh', '\\tanh'),
});
