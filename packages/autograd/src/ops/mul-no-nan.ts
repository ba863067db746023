import { infix, Precedence } from '../format.js';
import { defineOp, type OpFunction } from '../op.js';
import { constant, isConstant } from '../value.js';
import { mul } from './mul.js';

/**
 * a · b, except that 0 times anything (even ∞ or NaN) is 0: the product a derivative needs where
 * one factor's limit is 0 and the other's is not finite, as in d(x⁰)/dx = 0 · x⁻¹ at x = 0.
 * @example mulNoNan(b, pow(a, sub(b, 1)))
 */
export const mulNoNan: OpFunction<2> = defineOp({
  name: 'mulNoNan',
  arity: 2,
  evaluate: (a, b) => (a === 0 || b === 0 ? 0 : a * b),
  emit: (a, b) => `(${a} === 0 || ${b} === 0 ? 0 : ${a} * ${b})`,
  partials: ([a, b]) => [b, a],
  simplify: ([a, b]) => {
    if (isConstant(a, 0) || isConstant(b, 0)) return constant(0);
    // A finite non-zero factor cannot meet 0 · ∞, so the product is a plain one.
    const finite = (x: typeof a) => x.isConstant && Number.isFinite(x.value);
    return finite(a) || finite(b) ? mul(a, b) : undefined;
  },
  notation: infix('*', Precedence.product, { latex: '\\cdot' }),
});
