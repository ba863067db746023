import { AutogradError, describe, expectValues, isNode } from './errors.js';

/** What a traversal needs of a node (a Value is one): its inputs, and a number to stamp. */
export interface GraphNode<Node> {
  /** @internal The last traversal that reached this node. */
  visit: number;
  readonly inputs: readonly Node[];
  readonly id: number;
}

// Each traversal stamps the nodes it visits with two fresh numbers (open, then done), so it needs
// no Set or Map of visited nodes: the stamp is one number on the node, and no clearing is needed.
let lastStamp = 0;

/**
 * Every node that leads to `roots`, each after all of its inputs (so `roots` come last); a node
 * for which `known` is true is listed but its inputs are not visited.
 * Iterative depth-first search with an explicit stack, so a graph of any depth is fine; a cycle
 * (only possible by mutating `inputs` by hand) is reported.
 */
export function topologicalOrder<Node extends GraphNode<Node>>(
  roots: readonly Node[],
  known?: (node: Node) => boolean,
): Node[] {
  expectValues(roots, 'topologicalOrder', { single: false });
  if (known !== undefined && typeof known !== 'function') {
    throw new AutogradError(`topologicalOrder: known must be a function, got ${describe(known)}`);
  }
  const open = ++lastStamp;
  const done = ++lastStamp;
  const order: Node[] = [];
  const stack: Node[] = [...roots];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (node.visit < open) {
      node.visit = open;
      if (known?.(node)) continue;
      const { inputs } = node;
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!;
        if (!isNode(input)) throw notAnInput(node, i);
        if (input.visit < open) stack.push(input);
        else if (input.visit === open) {
          throw new AutogradError(`the graph has a cycle through node #${input.id}`);
        }
      }
    } else {
      stack.pop();
      if (node.visit === open) {
        node.visit = done;
        order.push(node);
      }
    }
  }
  return order;
}

/**
 * Numbers the nodes of `order` by their places in it, on the nodes themselves (a large graph is
 * laid out far faster than with a Map keyed by node); `placeIn` reads a place back, until the
 * next numbering. The numbers are negative, so every later traversal sees the nodes as not yet
 * visited, as it must.
 */
export function numberNodes<Node extends GraphNode<Node>>(order: readonly Node[]): void {
  order.forEach((node, i) => (node.visit = -1 - i));
}

/** A node's place in the `order` that `numberNodes` numbered, or -1 if it is not in it. */
export function placeIn<Node extends GraphNode<Node>>(order: readonly Node[], node: Node): number {
  const place = -1 - node.visit;
  return place >= 0 && order[place] === node ? place : -1;
}

/** A node whose input `i` is not a Value (only possible by building or changing nodes by hand). */
function notAnInput(node: { id: number; inputs: readonly unknown[] }, i: number): AutogradError {
  const what = describe(node.inputs[i]);
  return new AutogradError(`node #${node.id}: input ${i + 1} is ${what}, not a Value`);
}
