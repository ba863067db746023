import { topologicalOrder } from './graph.js';
import { applyOp, type Op } from './op.js';
import { constant, Value } from './value.js';

/**
 * Rewrites graphs into smaller equal ones: folds ops whose inputs are all constants, applies each
 * op's identities (`x * 1 → x`, `x + 0 → x`, `x * 0 → 0`, `x ^ 1 → x`, `--x → x`, …) and merges
 * identical sub-expressions so that each is computed once. Variables are kept, not copied; the
 * inputs are not changed. (`x * 0 → 0` holds for finite x only, as in any algebra system.)
 */
export function simplify(root: Value): Value;
export function simplify(roots: readonly Value[]): Value[];
export function simplify(roots: Value | readonly Value[]): Value | Value[] {
  const list = roots instanceof Value ? [roots] : roots;
  const simplified = new Map<Value, Value>();
  const existing = new Map<string, Value>();
  const ids = new Map<Op | Value, number>();
  const idOf = (thing: Op | Value) => {
    let id = ids.get(thing);
    if (id === undefined) ids.set(thing, (id = ids.size));
    return id;
  };
  // One node per distinct constant and per distinct (op, inputs), so equal sub-expressions merge.
  const shared = (node: Value): Value => {
    let key: string;
    if (node.op !== undefined) key = `${idOf(node.op)}(${node.inputs.map(idOf).join(',')})`;
    else if (node.isConstant) key = Object.is(node.value, -0) ? '-0' : String(node.value);
    else return node;
    const found = existing.get(key);
    if (found !== undefined) return found;
    existing.set(key, node);
    return node;
  };

  for (const node of topologicalOrder(list)) {
    if (node.op === undefined) {
      simplified.set(node, node.isVariable ? node : shared(node));
      continue;
    }
    const result = rebuild(
      node.op,
      node.inputs.map((input) => simplified.get(input)!),
    );
    // Every op node simplify returns is new (the input graph is never reused), so it may take
    // the label of the node it stands for.
    if (result.op !== undefined && node.label !== undefined) result.label ??= node.label;
    simplified.set(node, shared(result));
  }
  const result = list.map((root) => simplified.get(root)!);
  return roots instanceof Value ? result[0]! : result;
}

/** One node over simplified inputs: folded, rewritten by the op's rule (repeatedly), or rebuilt. */
function rebuild(op: Op, inputs: readonly Value[]): Value {
  if (inputs.every((input) => input.isConstant)) {
    return constant(op.evaluate(...inputs.map((input) => input.value)));
  }
  const rewritten = op.simplify?.(inputs);
  if (rewritten === undefined) return applyOp(op, inputs);
  // A rule returns one of the inputs, a constant, or a new node that may simplify further.
  if (rewritten.op === undefined || inputs.includes(rewritten)) return rewritten;
  return rebuild(rewritten.op, rewritten.inputs);
}
