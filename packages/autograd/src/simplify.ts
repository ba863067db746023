import { expectValues } from './errors.js';
import { topologicalOrder } from './graph.js';
import { applyOp } from './op.js';
import { constant, Value, type Op } from './value.js';

/**
 * Rewrites graphs into smaller equal ones: folds ops whose inputs are all constants, applies each
 * op's identities (`x * 1 → x`, `x + 0 → x`, `x * 0 → 0`, `x ^ 1 → x`, `--x → x`, …) and merges
 * identical sub-expressions so that each is computed once. Variables, and nodes that nothing
 * changes, are kept rather than copied; the input graph is not changed. (`x * 0 → 0` holds for
 * finite x only, as in any algebra system.)
 */
export function simplify(root: Value): Value;
export function simplify(roots: readonly Value[]): Value[];
export function simplify(roots: Value | readonly Value[]): Value | Value[] {
  expectValues(roots, 'simplify');
  const simplifier = new Simplifier();
  const result = (roots instanceof Value ? [roots] : roots).map((root) => simplifier.graph(root));
  return roots instanceof Value ? result[0]! : result;
}

/**
 * @internal Simplifies graph after graph with one memory, so that all of them share their nodes:
 * how `grad` simplifies each partial as it goes instead of building the whole raw chain rule first.
 */
export class Simplifier {
  private readonly simplified = new Map<Value, Value>();
  private readonly merge = sharedNodes();

  /** The simplified `root`; `remember: false` keeps none of its new nodes' forms for later graphs. */
  graph(root: Value, { remember = true } = {}): Value {
    const { simplified } = this;
    const local = remember ? simplified : new Map<Value, Value>();
    const form = (node: Value) => simplified.get(node) ?? local.get(node)!;
    // (`form` of a node simplify has not met is undefined, which is how new nodes are told apart.)
    for (const node of topologicalOrder([root], (node) => simplified.has(node))) {
      if (simplified.has(node)) continue;
      if (node.op === undefined) {
        local.set(node, node.isVariable ? node : this.merge(node));
        continue;
      }
      const result = rebuild(node.op, node.inputs.map(form), node);
      // A new node that stands for a labelled one takes its label (a node of the input graph,
      // kept as it was, is never relabelled).
      const isNew = result !== node && form(result) !== result;
      if (isNew && result.op !== undefined && node.label !== undefined) result.label ??= node.label;
      local.set(node, this.merge(result));
    }
    return form(root);
  }

  /** The simplified node `op(...inputs)`, for inputs that are simplified already. */
  apply(op: Op, inputs: readonly Value[]): Value {
    return this.merge(rebuild(op, inputs));
  }
}

/**
 * Hash-consing: `merge(node)` returns the first node seen with the same op and inputs (or the same
 * constant), so equal sub-expressions become one. Keys are numbers, not strings: a graph of a
 * million nodes must not cost a million strings.
 */
function sharedNodes(): (node: Value) => Value {
  const ids = new Map<Value, number>();
  const idOf = (node: Value) => {
    let id = ids.get(node);
    if (id === undefined) ids.set(node, (id = ids.size));
    return id;
  };
  const constants = new Map<number | string, Value>();
  const byOp = new Map<Op, Map<number | string, Value>>();
  return (node) => {
    let table: Map<number | string, Value>;
    let key: number | string;
    const { op, inputs } = node;
    if (op === undefined) {
      if (!node.isConstant) return node;
      [table, key] = [constants, Object.is(node.value, -0) ? '-0' : node.value];
    } else {
      table = byOp.get(op) ?? new Map<number | string, Value>();
      if (table.size === 0) byOp.set(op, table);
      // Two ids below 2^26 pack exactly into one double; beyond that, or for more inputs, a string.
      const [a, b, ...more] = inputs.map(idOf);
      if (b === undefined) key = a!;
      else if (more.length === 0 && ids.size <= 2 ** 26) key = a! * 2 ** 26 + b;
      else key = [a, b, ...more].join(',');
    }
    const found = table.get(key);
    if (found !== undefined) return found;
    table.set(key, node);
    return node;
  };
}

/**
 * One node over simplified inputs: folded, rewritten by the op's rule (repeatedly), or rebuilt;
 * `original` itself when its inputs are unchanged and no rule applies (no copy is made).
 */
function rebuild(op: Op, inputs: readonly Value[], original?: Value): Value {
  if (inputs.every((input) => input.isConstant)) {
    return constant(op.evaluate(...inputs.map((input) => input.value)));
  }
  const rewritten = op.simplify?.(inputs);
  if (rewritten === undefined) {
    const unchanged = original !== undefined && inputs.every((x, i) => x === original.inputs[i]);
    return unchanged ? original : applyOp(op, inputs);
  }
  // A rule returns one of the inputs, a constant, or a new node that may simplify further.
  if (rewritten.op === undefined || inputs.includes(rewritten)) return rewritten;
  return rebuild(rewritten.op, rewritten.inputs);
}
