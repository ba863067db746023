import { topologicalOrder } from './graph.js';
import type { Value } from './value.js';

/** An op's `evaluate`, called by generated code for ops that give no `emit`. */
export type Evaluator = (...operands: number[]) => number;

/**
 * Straight-line JavaScript for the nodes of `order` (in topological order): one `const` per op
 * node, by the op's `emit` or else a call to `evaluators[k]` (pushed onto `evaluators`); leaves are
 * the names `leaves` gives them, or literals. Returns the lines and the code of each node.
 */
export function straightLine(
  order: readonly Value[],
  leaves: ReadonlyMap<Value, string>,
  evaluators: Evaluator[],
): { lines: string[]; code: ReadonlyMap<Value, string> } {
  const code = new Map<Value, string>();
  const lines: string[] = [];
  for (const node of order) {
    if (node.op === undefined) {
      code.set(node, leaves.get(node) ?? literal(node.value));
      continue;
    }
    const operands = node.inputs.map((input) => code.get(input)!);
    const name = `v${code.size}`;
    let expression = node.op.emit?.(...operands);
    if (expression === undefined) {
      expression = `evaluators[${evaluators.length}](${operands.join(', ')})`;
      evaluators.push(node.op.evaluate);
    }
    lines.push(`const ${name} = ${expression};`);
    code.set(node, name);
  }
  return { lines, code };
}

/** A number as JavaScript source that reads back exactly. */
function literal(value: number): string {
  if (Object.is(value, -0)) return '(-0)';
  return value < 0 ? `(${value})` : String(value);
}

/**
 * The JavaScript of small graphs (such as an op's partials) as expressions over the code
 * `leaves` gives their leaves: each node's `emit` (or a call to `evaluators[k]`), its operands'
 * expressions nested in it, parenthesised. The same operations as `straightLine` writes, so the
 * same numbers; a node used twice is written twice.
 */
export function expressions(
  roots: readonly Value[],
  leaves: ReadonlyMap<Value, string>,
  evaluators: Evaluator[],
): string[] {
  const code = new Map<Value, string>();
  for (const node of topologicalOrder(roots)) {
    if (node.op === undefined) {
      code.set(node, leaves.get(node) ?? literal(node.value));
      continue;
    }
    const operands = node.inputs.map((input) => code.get(input)!);
    let expression = node.op.emit?.(...operands);
    if (expression === undefined) {
      expression = `evaluators[${evaluators.length}](${operands.join(', ')})`;
      evaluators.push(node.op.evaluate);
    }
    code.set(node, `(${expression})`);
  }
  return roots.map((root) => code.get(root)!);
}
