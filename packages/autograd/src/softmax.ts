// Softmax and its log, composed from the engine's ops: subtracting the largest input first keeps
// every exp at most 1 and their sum at least 1, so logits of ±1000 stay finite through the value,
// the gradient and the second derivative, and no primitive op is needed.
import { AutogradError, describe } from './errors.js';
import { add } from './ops/add.js';
import { div } from './ops/div.js';
import { exp } from './ops/exp.js';
import { log } from './ops/log.js';
import { max } from './ops/max.js';
import { sub } from './ops/sub.js';
import { toValue, type Operand, type Value } from './value.js';

/** The largest input and the inputs shifted by it, z − max(z). */
function shifted(logits: readonly Operand[], what: string): { largest: Value; centred: Value[] } {
  if (!Array.isArray(logits) || logits.length === 0) {
    throw new AutogradError(`${what} needs a non-empty array of Values, got ${describe(logits)}`);
  }
  const values = logits.map((z, i) => toValue(z, `${what} (input ${i + 1})`));
  const largest = values.reduce((m, z) => max(m, z));
  return { largest, centred: values.map((z) => sub(z, largest)) };
}

/** log Σ exp(cᵢ) of shifted inputs (a sum of at least 1). */
function logSumOfExps(centred: readonly Value[]): Value {
  return log(centred.map((c) => exp(c)).reduce((sum, e) => add(sum, e)));
}

/** log Σ exp(zᵢ), computed as max(z) + log Σ exp(zᵢ − max(z)) so that it never overflows. @example logSumExp([z1, z2, z3]) */
export function logSumExp(logits: readonly Operand[]): Value {
  const { largest, centred } = shifted(logits, 'logSumExp');
  return add(largest, logSumOfExps(centred));
}

/** log softmax, zᵢ − log Σ exp(zⱼ): finite for any finite logits. @example logSoftmax([z1, z2, z3]) */
export function logSoftmax(logits: readonly Operand[]): Value[] {
  const { centred } = shifted(logits, 'logSoftmax');
  const logSum = logSumOfExps(centred);
  return centred.map((c) => sub(c, logSum));
}

/** softmax, exp(zᵢ) / Σ exp(zⱼ): probabilities that sum to 1. @example softmax([z1, z2, z3]) */
export function softmax(logits: readonly Operand[]): Value[] {
  const exps = shifted(logits, 'softmax').centred.map((c) => exp(c));
  const total = exps.reduce((sum, e) => add(sum, e));
  return exps.map((e) => div(e, total));
}
