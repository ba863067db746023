import { AutogradError, describe } from './errors.js';
import { call } from './format.js';
import { toValue, Value, type Op, type OpSpec, type Operand } from './value.js';

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
export function defineOp<const Arity extends number>(spec: OpSpec<Arity>): OpFunction<Arity> {
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
  const op = Object.freeze({ ...spec, notation: spec.notation ?? call(name) }) as unknown as Op;
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
