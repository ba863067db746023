import { AutogradError } from './errors.js';
import type { Value } from './value.js';

const OPEN = 1;
const DONE = 2;

/**
 * Every node that leads to `roots`, each after all of its inputs (so `roots` come last).
 * Iterative depth-first search with an explicit stack, so a graph of any depth is fine; a cycle
 * (only possible by mutating `inputs` by hand) is reported.
 */
export function topologicalOrder(roots: readonly Value[]): Value[] {
  const order: Value[] = [];
  const state = new Map<Value, number>();
  const stack: Value[] = [...roots];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    const seen = state.get(node);
    if (seen === undefined) {
      state.set(node, OPEN);
      for (const input of node.inputs) {
        const inputState = state.get(input);
        if (inputState === undefined) stack.push(input);
        else if (inputState === OPEN) {
          throw new AutogradError(`the graph has a cycle through node #${input.id}`);
        }
      }
    } else {
      stack.pop();
      if (seen === OPEN) {
        state.set(node, DONE);
        order.push(node);
      }
    }
  }
  return order;
}
