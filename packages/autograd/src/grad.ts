import { topologicalOrder } from './graph.js';
import { add } from './ops/add.js';
import { mulNoNan } from './ops/mul-no-nan.js';
import { simplify } from './simplify.js';
import { constant, isConstant, Value } from './value.js';

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
      // A partial that is the constant 0 contributes nothing (as `backward` skips a zero gradient),
      // so no 0 · ∞ can arise further down the chain.
      if (!relevant.has(input) || isConstant(partials[k]!, 0)) return;
      // The chain rule's product, where a zero factor gives 0 even times ∞ (as in `backward`).
      const contribution = mulNoNan(nodeAdjoint, partials[k]!);
      const sum = adjoint.get(input);
      adjoint.set(input, sum === undefined ? contribution : add(sum, contribution));
    });
  }

  const derivatives = targets.map((target) => adjoint.get(target) ?? constant(0));
  const result = shouldSimplify ? simplify(derivatives) : derivatives;
  return wrt instanceof Value ? result[0]! : result;
}
