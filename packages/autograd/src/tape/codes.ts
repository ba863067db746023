import { ops, type OpName } from '../ops/index.js';
import type { Op } from '../value.js';

/**
 * The codes of a tape's steps: each built-in op's place in the `ops` table (so the interpreter's
 * switch names its cases, `case Code.tanh`), then two of the tape's own: `own`, a step of an op
 * you defined (it calls the op's `evaluate`), and `sum`, a fused sum of products.
 */
export const Code: Readonly<Record<OpName | 'own' | 'sum', number>> = Object.freeze({
  ...(Object.fromEntries(Object.keys(ops).map((name, i) => [name, i])) as Record<OpName, number>),
  own: -1,
  sum: -2,
});

const byOp = new Map<Op, number>(
  Object.entries(ops).map(([name, { op }]) => [op, Code[name as OpName]]),
);

/** An op's code on the tape: a built-in op's own, or `Code.own`. */
export function codeOf(op: Op): number {
  return byOp.get(op) ?? Code.own;
}
