import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/**
 * The logistic sigmoid σ(x) = 1 / (1 + e^-x), the lecture's activation. A primitive (not composed
 * from exp and div) so that it is one node and its derivative σ(1 - σ) reuses the output.
 * @example sigmoid(x)
 */
export const sigmoid: OpFunction<1> = defineOp({
  name: 'sigmoid',
  arity: 1,
  evaluate: (x) => 1 / (1 + Math.exp(-x)),
  emit: (x) => `1 / (1 + Math.exp(-${x}))`,
  partials: (_inputs, output) => [mul(output, sub(1, output))],
  notation: call('σ', '\\sigma'),
});
