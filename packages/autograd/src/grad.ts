import { expectOptions, expectValue, expectValues } from './errors.js';
import { topologicalOrder } from './graph.js';
import { add } from './ops/add.js';
import { mulNoNan } from './ops/mul-no-nan.js';
import { Simplifier } from './simplify.js';
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
  options: GradOptions = {},
): Value | Value[] {
  expectValue(output, 'grad (output)');
  expectValues(wrt, 'grad (with respect to)');
  const { simplify: shouldSimplify = true } = expectOptions(options, 'grad');
  const targets = wrt instanceof Value ? [wrt] : wrt;
  const order = topologicalOrder([output]);

  // Only nodes that depend on a target carry a derivative back.
  const targetSet = new Set(targets);
  const relevant = new Set<Value>();
  for (const node of order) {
    if (targetSet.has(node) || node.inputs.some((input) => relevant.has(input))) relevant.add(node);
  }

  // Reverse accumulation, as in `backward`, but each adjoint is a graph. Simplifying, each partial
  // is simplified as it is made, so the raw chain rule never exists as a whole. Each step of the
  // chain is a `mulNoNan`: as in `backward`, a path whose adjoint or partial is 0 carries nothing,
  // even past a factor that is infinite there (d³(x¹)/dx³ at 0 is 0, not 0 · ∞).
  const simplifier = shouldSimplify ? new Simplifier() : undefined;
  const product = simplifier
    ? (a: Value, b: Value) => simplifier.apply(mulNoNan.op, [a, b])
    : mulNoNan;
  const sum = simplifier ? (a: Value, b: Value) => simplifier.apply(add.op, [a, b]) : add;
  simplifier?.graph(output); // the forward graph first, so partials find its simplified nodes
  const adjoint = new Map<Value, Value>([[output, constant(1)]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const nodeAdjoint = adjoint.get(node);
    if (nodeAdjoint === undefined || node.op === undefined || !relevant.has(node)) continue;
    const partials = node.op.partials(node.inputs, node);
    node.inputs.forEach((input, k) => {
      if (!relevant.has(input)) return;
      const partial = simplifier?.graph(partials[k]!, { remember: false }) ?? partials[k]!;
      if (isConstant(partial, 0)) return; // (it would add a 0)
      const contribution = product(nodeAdjoint, partial);
      const before = adjoint.get(input);
      adjoint.set(input, before === undefined ? contribution : sum(before, contribution));
    });
  }

  const result = targets.map((target) => adjoint.get(target) ?? constant(0));
  return wrt instanceof Value ? result[0]! : result;
}
