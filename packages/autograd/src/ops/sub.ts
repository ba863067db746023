import { toValue, type Operand, type Value } from '../value.js';
import { add } from './add.js';
import { neg } from './neg.js';

/** a - b, composed as `a + (-b)` (exact in floating point, so it needs no rule of its own). @example sub(1, x) */
export function sub(a: Operand, b: Operand): Value {
  return add(toValue(a, 'sub (input 1)'), neg(toValue(b, 'sub (input 2)')));
}
