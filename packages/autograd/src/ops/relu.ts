import { call } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { step } from './step.js';

/** The rectifier max(0, x); its derivative at 0 is taken as 0. @example relu(x) */
export const relu: OpFunction<1> = defineOp({
  name: 'relu',
  arity: 1,
  evaluate: (x) => Math.max(0, x),
  emit: (x) => `Math.max(0, ${x})`,
  partials: ([x]) => [step(x)],
  notation: call('relu'),
});
