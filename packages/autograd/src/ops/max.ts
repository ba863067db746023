import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { step } from './step.js';
import { sub } from './sub.js';

/** The larger of a and b; at a tie the slope goes to b. @example max(a, b) */
export const max: OpFunction<2> = defineOp({
  name: 'max',
  arity: 2,
  evaluate: Math.max,
  emit: (a, b) => `Math.max(${a}, ${b})`,
  partials: ([a, b]) => {
    const aWins = step(sub(a, b));
    return [aWins, sub(1, aWins)];
  },
  notation: call('max', '\\max'),
});
