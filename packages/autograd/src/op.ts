import { AutogradError, describe } from './errors.js';
import { call } from './format.js';
import { straightLine, type Evaluator } from './codegen.js';
import { evaluate } from './evaluate.js';
import { topologicalOrder } from './graph.js';
import {
  toValue,
  Value,
  Variable,
  type Arity,
  type Op,
  type OpSpec,
  type Operand,
} from './value.js';

/** The function an op definition returns: call it on Values or numbers; `.op` is the definition. */
export type OpFunction<N extends Arity = Arity> = (N extends 1
  ? (x: Operand) => Value
  : N extends 2
    ? (a: Operand, b: Operand) => Value
    : (...inputs: Operand[]) => Value) & { readonly op: Op };

/**
 * The most inputs one node takes. An op's inputs are passed to it (and to its `evaluate`) as
 * arguments, and a JavaScript call with many more (about 120,000, fewer deep in a stack)
 * overflows the stack; a longer sum is a chain of nodes, as `dotProduct` builds it.
 */
export const mostInputs = 20_000;
// With thousands separators, not by `toLocaleString`: that loads a locale, 10 ms at import.
const limit = String(mostInputs).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * Defines an op from its math and returns the function that applies it eagerly.
 * @example const square = defineOp({ name: 'square', arity: 1, evaluate: (x) => x * x, partials: ([x]) => [mul(2, x)] });
 */
export function defineOp<const N extends Arity>(spec: OpSpec<N>): OpFunction<N> {
  if (typeof spec !== 'object' || spec === null) {
    throw new AutogradError(`defineOp needs an op's definition object, got ${describe(spec)}`);
  }
  const { name, arity } = spec as OpSpec;
  if (typeof name !== 'string' || name === '') throw new AutogradError('an op needs a name');
  const pairs = arity === 'pairs';
  if (!pairs && !(Number.isInteger(arity) && arity >= 1)) {
    throw new AutogradError(
      `op ${name}: arity must be a whole number of at least 1 or 'pairs', got ${describe(arity)}`,
    );
  }
  if (!pairs && arity > mostInputs) {
    throw new AutogradError(
      `op ${name}: arity ${arity} is over ${limit}, the most inputs a node takes (they are passed ` +
        'as arguments, and a call with many more overflows the stack): compose it from ops over ' +
        'parts of its inputs, as dotProduct chains dot',
    );
  }
  if (typeof spec.evaluate !== 'function' || typeof spec.partials !== 'function') {
    throw new AutogradError(`op ${name}: evaluate and partials must be functions`);
  }
  const op = { ...spec, notation: spec.notation ?? call(name) } as unknown as Op;
  // Without a numeric fast path of its own, an op of one or two inputs gets one made from its
  // partials on first use (when every op its partials use is defined).
  if (op.numericPartial === undefined && typeof arity === 'number' && arity <= 2) {
    const writable = op as { numericPartial?: NumericPartial };
    writable.numericPartial = (index, output, a, b) =>
      (writable.numericPartial = numericPartialsOf(op))(index, output, a, b);
  }
  Object.seal(op); // (not frozen: the derived fast path replaces itself once)
  const wrongArity = (count: number) =>
    new AutogradError(
      pairs
        ? `${name} takes its inputs in pairs (a1, b1, a2, b2, …), got ${count}`
        : `${name} takes ${arity} input${arity === 1 ? '' : 's'}, got ${count}`,
    );

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
      const count = operands.length;
      if (pairs ? count === 0 || count % 2 === 1 : count !== arity) throw wrongArity(count);
      if (count > mostInputs) {
        throw new AutogradError(
          `${name} takes at most ${limit} inputs, got ${count} (a call with many more overflows ` +
            'the stack): split it into nodes over parts of its inputs, as dotProduct does for dot',
        );
      }
      const inputs = new Array<Value>(count);
      const values = new Array<number>(count);
      for (let i = 0; i < count; i++) {
        const operand = operands[i];
        const input =
          operand instanceof Value ? operand : toValue(operand, `${name} (input ${i + 1})`);
        inputs[i] = input;
        values[i] = input.value;
      }
      return new Value(op.evaluate(...values), op, inputs);
    };
  }
  return Object.assign(apply, { op }) as unknown as OpFunction<N>;
}

/** Applies an op to Values it already has (how `simplify` rebuilds nodes). */
export function applyOp(op: Op, inputs: readonly Value[]): Value {
  return new Value(op.evaluate(...inputs.map((input) => input.value)), op, inputs);
}

/** d(output)/d(input `index`) from numbers: the output's, and the inputs' `a` and `b`. */
export type NumericPartial = (index: number, output: number, a: number, b: number) => number;

const derived = new WeakMap<Op, NumericPartial>();

/**
 * @internal An op's partials (of one or two inputs) as one numeric function, made once from its
 * symbolic `partials`: what `backward` runs when the op gives no `numericPartial`, and what the
 * tape's reverse sweep runs for an op it does not inline (the same numbers as its written form).
 */
export function numericPartialsOf(op: Op): NumericPartial {
  let partials = derived.get(op);
  if (partials === undefined) derived.set(op, (partials = deriveNumericPartial(op)));
  return partials;
}

/**
 * An op's numeric partials as one generated function, `(index, output, a, b) => number`: its
 * symbolic partials over placeholder inputs, written out as JavaScript by the ops' own `emit`, so
 * the op states its math once. Where generated code is forbidden, the partials' graphs are
 * evaluated instead.
 */
function deriveNumericPartial(op: Op): NumericPartial {
  const placeholders = [new Variable(0), new Variable(0)].slice(0, op.arity as number);
  const output = new Variable(0);
  const partials = op.partials(placeholders, output);
  const leaves = new Map<Value, string>([[output, 'output']]);
  placeholders.forEach((x, i) => leaves.set(x, 'ab'[i]!));
  const evaluators: Evaluator[] = [];
  const cases = partials.map((partial, k) => {
    const { lines, code } = straightLine(topologicalOrder([partial]), leaves, evaluators);
    return `if (index === ${k}) { ${lines.join(' ')} return ${code.get(partial)!}; }`;
  });
  try {
    const source = `"use strict"; return function (index, output, a, b) { ${cases.join(' ')} return NaN; };`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the fast path is generated code
    const make = new Function('evaluators', source) as (e: Evaluator[]) => NumericPartial;
    return make(evaluators);
  } catch {
    // A content security policy forbids generated code: evaluate the partials' graphs.
    return (index, outputValue, a, b) => {
      [output.value, placeholders[0]!.value] = [outputValue, a];
      if (placeholders[1] !== undefined) placeholders[1].value = b;
      return evaluate(partials[index]!);
    };
  }
}
