import { AutogradError, describe } from './errors.js';
import { call, type Notation } from './format.js';
import { toValue, Value, type Operand } from './value.js';

/** What defines an op: the one place that knows its math. */
export interface OpSpec {
  /** The op's name, e.g. `'tanh'`; also how it prints when it gives no `notation`. */
  readonly name: string;
  /** How many inputs it takes. */
  readonly arity: number;
  /** Its value from its inputs' numbers. */
  readonly evaluate: (...inputs: number[]) => number;
  /**
   * Its local partial derivatives d(output)/d(input i), written with the engine's own ops so that
   * they are graphs too (and can be differentiated again). `output` is the node itself, so a rule
   * such as tanh' = 1 - tanh² can reuse it.
   */
  readonly partials: (inputs: readonly Value[], output: Value) => Value[];
  /**
   * Optional fast path for eager `backward` (ops of one or two inputs): d(output)/d(input `index`)
   * as a number, from the output's number and the inputs' numbers `a`, `b`. It must agree with
   * `partials`; the op table test checks that it does.
   */
  readonly numericPartial?: (index: number, output: number, a: number, b: number) => number;
  /**
   * Optional JavaScript for `compile`: an expression computing the op from its operands' code
   * (identifiers or parenthesized literals), exactly as `evaluate` does, e.g. `(a, b) => \`${a} * ${b}\``.
   * Without it, compiled code calls `evaluate`.
   */
  readonly emit?: (...operands: string[]) => string;
  /** Optional rewrite for `simplify`, e.g. `x * 1 → x`; returns `undefined` when none applies. */
  readonly simplify?: (inputs: readonly Value[]) => Value | undefined;
  /** How it prints as infix text and LaTeX; a function call `name(x)` when omitted. */
  readonly notation?: Notation;
}

/** A defined op, as stored on the nodes it makes. */
export interface Op extends OpSpec {
  readonly notation: Notation;
}

/** The function an op definition returns: call it on Values or numbers; `.op` is the definition. */
export type OpFunction<Arity extends number = number> = (Arity extends 1
  ? (x: Operand) => Value
  : Arity extends 2
    ? (a: Operand, b: Operand) => Value
    : (...inputs: Operand[]) => Value) & { readonly op: Op };

/**
 * Defines an op from its math and returns the function that applies it eagerly.
 * @example const square = defineOp({ name: 'square', arity: 1, evaluate: (x) => x * x, partials: ([x]) => [mul(2, x)] });
 */
export function defineOp<const Arity extends number>(
  spec: OpSpec & { readonly arity: Arity },
): OpFunction<Arity> {
  if (typeof spec !== 'object' || spec === null) {
    throw new AutogradError(`defineOp needs an op's definition object, got ${describe(spec)}`);
  }
  const { name, arity } = spec;
  if (typeof name !== 'string' || name === '') throw new AutogradError('an op needs a name');
  if (!Number.isInteger(arity) || arity < 1) {
    throw new AutogradError(`op ${name}: arity must be a whole number of at least 1, got ${arity}`);
  }
  if (typeof spec.evaluate !== 'function' || typeof spec.partials !== 'function') {
    throw new AutogradError(`op ${name}: evaluate and partials must be functions`);
  }
  const op: Op = Object.freeze({ ...spec, notation: spec.notation ?? call(name) });
  const wrongArity = (count: number) =>
    new AutogradError(`${name} takes ${arity} input${arity === 1 ? '' : 's'}, got ${count}`);

  // Unary and binary ops get their own small functions: they are the hot path of eager graphs.
  let apply;
  if (arity === 1) {
    apply = function (x: Operand): Value {
      if (arguments.length !== 1) throw wrongArity(arguments.length);
      const input = toValue(x, name);
      return new Value(op.evaluate(input.value), op, [input]);
    };
  } else if (arity === 2) {
    const [first, second] = [`${name} (input 1)`, `${name} (input 2)`];
    apply = function (a: Operand, b: Operand): Value {
      if (arguments.length !== 2) throw wrongArity(arguments.length);
      const left = toValue(a, first);
      const right = toValue(b, second);
      return new Value(op.evaluate(left.value, right.value), op, [left, right]);
    };
  } else {
    apply = function (...operands: Operand[]): Value {
      if (operands.length !== arity) throw wrongArity(operands.length);
      const inputs = operands.map((operand, i) => toValue(operand, `${name} (input ${i + 1})`));
      return new Value(op.evaluate(...inputs.map((input) => input.value)), op, inputs);
    };
  }
  return Object.assign(apply, { op }) as unknown as OpFunction<Arity>;
}

/** Applies an op to Values it already has (how `simplify` rebuilds nodes). */
export function applyOp(op: Op, inputs: readonly Value[]): Value {
  return new Value(op.evaluate(...inputs.map((input) => input.value)), op, inputs);
}
