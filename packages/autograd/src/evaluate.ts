import { expectValues } from './errors.js';
import { topologicalOrder } from './graph.js';
import { Value } from './value.js';

/**
 * Recomputes every node of the graphs from its inputs, after variables changed, and returns the
 * new number(s). Graphs keep the numbers they were built with until then.
 * @example w1.value = 0.5; const slope = evaluate(dLdw1);
 */
export function evaluate(root: Value): number;
export function evaluate(roots: readonly Value[]): number[];
export function evaluate(roots: Value | readonly Value[]): number | number[] {
  expectValues(roots, 'evaluate');
  const list = roots instanceof Value ? [roots] : roots;
  for (const node of topologicalOrder(list)) {
    const { op, inputs } = node;
    if (op === undefined) continue;
    node.value =
      inputs.length === 1
        ? op.evaluate(inputs[0]!.value)
        : inputs.length === 2
          ? op.evaluate(inputs[0]!.value, inputs[1]!.value)
          : op.evaluate(...inputs.map((input) => input.value));
  }
  return roots instanceof Value ? roots.value : list.map((root) => root.value);
}
