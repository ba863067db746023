import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { pow } from './pow.js';
import { sub } from './sub.js';

/** The hyperbolic tangent of x. @example tanh(x) */
export const tanh: OpFunction<1> = defineOp({
  name: 'tanh',
  arity: 1,
  evaluate: Math.tanh,
  emit: (x) => `Math.tanh(${x})`,
  partials: (_inputs, output) => [sub(1, pow(output, 2))],
  numericPartial: (_index, output) => 1 - output ** 2,
  notation: call('tanh', '\\tanh'),
});
