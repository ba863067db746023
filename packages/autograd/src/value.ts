import {
  AutogradError,
  describe,
  expectValue,
  expectValues,
  madeByDendrite,
  madeHere,
} from './errors.js';
import { formula, type Notation, type Operands } from './format.js';
import { topologicalOrder } from './graph.js';

/**
 * How many inputs an op takes: a fixed number, or `'pairs'`: any positive even number, read as
 * (a1, b1, a2, b2, …), as `dot` takes them.
 */
export type Arity = number | 'pairs';

/** What defines an op: the one place that knows its math. */
export interface OpSpec<N extends Arity = Arity> {
  /** The op's name, e.g. `'tanh'`; also how it prints when it gives no `notation`. */
  readonly name: string;
  /** How many inputs it takes. */
  readonly arity: N;
  /** Its value from its inputs' numbers. */
  evaluate(this: void, ...inputs: Operands<N, number>): number;
  /**
   * Its local partial derivatives d(output)/d(input i), written with the engine's own ops so that
   * they are graphs too (and can be differentiated again). `output` is the node itself, so a rule
   * such as tanh' = 1 - tanh² can reuse it.
   */
  partials(inputs: Operands<N, Value>, output: Value): readonly Value[];
  /**
   * Optional fast path for eager `backward` (ops of one or two inputs): d(output)/d(input `index`)
   * as a number, from the output's number and the inputs' numbers `a`, `b`. Without it, one is
   * generated from `partials`; given, it must agree with them (the op table test checks).
   */
  numericPartial?(index: number, output: number, a: number, b: number): number;
  /**
   * Optional JavaScript for `compile`: an expression computing the op from its operands' code
   * (identifiers or parenthesized literals), exactly as `evaluate` does, e.g. `(a, b) => \`${a} * ${b}\``.
   * Without it, compiled code calls `evaluate`.
   */
  emit?(...operands: Operands<N, string>): string;
  /** Optional rewrite for `simplify`, e.g. `x * 1 → x`; returns `undefined` when none applies. */
  simplify?(inputs: Operands<N, Value>): Value | undefined;
  /** How it prints as infix text and LaTeX; a function call `name(x)` when omitted. */
  readonly notation?: Notation<NoInfer<N>>;
}

/** A defined op, as stored on the nodes it makes. */
export interface Op extends OpSpec {
  readonly notation: Notation;
}

const noInputs: readonly Value[] = Object.freeze([]);
// Ids are handed out when first asked for (printing, DOT), so graphs pay nothing for them.
const ids = new WeakMap<Value, number>();
let nextId = 0;

/**
 * A node of a scalar computation graph: a number, the gradient `backward` puts into it, the op
 * that made it and that op's ordered inputs. Leaves (no op) are constants or variables.
 * Make them with `constant`, `variable` or an op such as `mul`, not with `new`.
 */
export class Value {
  /** The gradient `backward` computed: d(output)/d(this node); variables accumulate it. */
  grad = 0;
  /** @internal The last graph traversal that reached this node (see `topologicalOrder`). */
  visit = 0;
  /** A name for printing, such as `w1`; a labelled op node prints as its label inside formulas. */
  declare label?: string;

  constructor(
    /** The number this node holds; an optimizer changes a variable's value in place. */
    public value: number,
    /** The op that computed this node, or `undefined` for a leaf. */
    readonly op: Op | undefined = undefined,
    /** The op's inputs, in order (`mul(x, x)` has `x` twice). */
    readonly inputs: readonly Value[] = noInputs,
    label?: string,
  ) {
    // Only labelled nodes carry the property, which keeps large unlabelled graphs small.
    if (label !== undefined) this.label = label;
  }

  /** A number unique to this node, given when first asked for (it names unlabelled variables). */
  get id(): number {
    let id = ids.get(this);
    if (id === undefined) ids.set(this, (id = nextId++));
    return id;
  }

  /** True for a variable: a leaf that gradients are taken with respect to and optimizers update. */
  get isVariable(): boolean {
    return false;
  }

  /** True for a leaf that never changes. */
  get isConstant(): boolean {
    return this.op === undefined && !this.isVariable;
  }

  /**
   * Backpropagates from this node: sets every node it depends on to d(this)/d(node), except that
   * variables *accumulate* (`grad +=`), as in PyTorch: calling it twice doubles the variables'
   * gradients, and the gradients of several outputs add up in shared variables; `zeroGrad` resets
   * them. Constants get no gradient; a node whose gradient is 0, or a partial that is 0, passes
   * nothing on, even past a factor that is infinite there (0 · ∞ is 0 here, as in `grad`). Throws an
   * `AutogradError` naming the variable if its gradient becomes NaN or infinite.
   */
  backward(): void {
    const order = topologicalOrder<Value>([this]);
    for (const node of order) if (!node.isVariable) node.grad = 0;
    this.grad += 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      const { op, grad } = node;
      if (op === undefined) {
        if (!Number.isFinite(grad) && node.isVariable) throw nonFiniteGradient(node);
        continue;
      }
      if (grad === 0) continue;
      const { inputs } = node;
      const partials = op.numericPartial === undefined ? op.partials(inputs, node) : undefined;
      const a = inputs[0]!.value;
      const b = inputs.length > 1 ? inputs[1]!.value : NaN;
      for (let k = 0; k < inputs.length; k++) {
        const input = inputs[k]!;
        if (input.isConstant) continue;
        const partial = partials?.[k]!.value ?? op.numericPartial!(k, node.value, a, b);
        if (partial !== 0) input.grad += grad * partial;
      }
    }
  }

  /** The infix formula of this node, with labels and minimal parentheses, e.g. `w1 * x1 + b1`. */
  toString(): string {
    return formula(this);
  }
}

// What the checks know a Value by (see `describe`): data on the prototype, read as fast as a field.
Object.defineProperty(Value.prototype, madeHere, { value: true });
Object.defineProperty(Value.prototype, madeByDendrite, { value: true });

/** A leaf that gradients are taken with respect to and that optimizers update in place. */
export class Variable extends Value {
  override get isVariable(): boolean {
    return true;
  }
}

/** Anything an op accepts as an input: a Value, or a number that becomes a constant. */
export type Operand = Value | number;

/** A leaf holding a fixed number, e.g. `constant(2)`. */
export function constant(value: number): Value {
  if (typeof value !== 'number') {
    throw new AutogradError(`constant needs a number, got ${describe(value)}`);
  }
  return new Value(value);
}

/** A leaf that gradients are taken with respect to and an optimizer may change, e.g. `variable(0.5, 'w1')`. */
export function variable(value: number, label?: string): Variable {
  if (typeof value !== 'number') {
    throw new AutogradError(`variable needs a number, got ${describe(value)}`);
  }
  if (label !== undefined && typeof label !== 'string') {
    throw new AutogradError(`variable: a label is a string, got ${describe(label)}`);
  }
  return new Variable(value, undefined, undefined, label);
}

/** True if `value` is a constant leaf, equal to `number` when one is given. */
export function isConstant(value: Value, number?: number): boolean {
  return (
    expectValue(value, 'isConstant').isConstant && (number === undefined || value.value === number)
  );
}

/** Turns an operand into a Value (numbers become constants); `where` names the caller in errors. */
export function toValue(operand: unknown, where: string): Value {
  if (operand instanceof Value) return operand;
  if (typeof operand === 'number') return new Value(operand);
  throw new AutogradError(`${where} needs a Value or a number, got ${describe(operand)}`);
}

/** Sets `grad` to 0 on every node that leads to `roots` (a parameter list works too). */
export function zeroGrad(roots: Value | readonly Value[]): void {
  expectValues(roots, 'zeroGrad');
  for (const node of topologicalOrder(roots instanceof Value ? [roots] : roots)) node.grad = 0;
}

function nonFiniteGradient(node: Value): AutogradError {
  return new AutogradError(
    `backward: the gradient at ${formula(node, { maxLength: 80 })} (value ${node.value}) ` +
      `is ${node.grad}; an input is outside an op's domain or a number overflowed`,
  );
}
