import { topologicalOrder } from './graph.js';
import { add } from './ops/add.js';
import { mul } from './ops/mul.js';
import { simplify } from './simplify.js';
import { constant, Value } from './value.js';

/** Options for `grad`. */
export interface GradOptions {
  /** Simplify the derivative graphs (default true); turn it off to see the raw chain rule. */
  simplify?: boolean;
}

/**
 * The derivatives of `output` with respect to `wrt`, as new graphs built from the engine's ops:
 * print them, evaluate them, or take `grad` of them again for second derivatives.
 * A node `output` does not depend on gets the constant 0 (its derivative is zero, not an error).
 * @example const [dLdw1] = grad(loss, [w1]);
 */
export function grad(output: Value, wrt: Value, options?: GradOptions): Value;
export function grad(output: Value, wrt: readonly Value[], options?: GradOptions): Value[];
export function grad(
  output: Value,
  wrt: Value | readonly Value[],
  { simplify: shouldSimplify = true }: GradOptions = {},
): Value | Value[] {
  const targets = wrt instanceof Value ? [wrt] : wrt;
  const order = topologicalOrder([output]);

  // Only nodes that depend on a target carry a derivative back.
  const targetSet = new Set(targets);
  const relevant = new Set<Value>();
  for (const node of order) {
    if (targetSet.has(node) || node.inputs.some((input) => relevant.has(input))) relevant.add(node);
  }

  // Reverse accumulation, as in `backward`, but each adjoint is a graph.
  const adjoint = new Map<Value, Value>([[output, constant(1)]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const nodeAdjoint = adjoint.get(node);
    if (nodeAdjoint === undefined || node.op === undefined || !relevant.has(node)) continue;
    const partials = node.op.partials(node.inputs, node);
    node.inputs.forEach((input, k) => {
      if (!relevant.has(input)) return;
      const contribution = mul(nodeAdjoint, partials[k]!);
      const sum = adjoint.get(input);
      adjoint.set(input, sum === undefined ? contribution : add(sum, contribution));
    });
  }

  const derivatives = targets.map((target) => adjoint.get(target) ?? constant(0));
  const result = shouldSimplify ? simplify(derivatives) : derivatives;
  return wrt instanceof Value ? result[0]! : result;
}
