import { AutogradError, describe, expectOptions, expectValue } from './errors.js';
import { topologicalOrder, type GraphNode } from './graph.js';

/** Binding strengths for printing: an operand that binds more loosely gets parentheses. */
export const Precedence = { sum: 1, product: 2, negation: 3, power: 4, atom: 5 } as const;

/** An op's `arity` operands as a tuple (`[a]`, `[a, b]`, else a list), so that definitions need no `!`. */
export type Operands<Arity extends number | 'pairs', T> = Arity extends 1
  ? readonly [T]
  : Arity extends 2
    ? readonly [T, T]
    : readonly T[];

/** What printing needs of a node (a Value is one). */
export interface Printable extends GraphNode<Printable> {
  readonly label?: string | undefined;
  readonly value: number;
  readonly op?: { readonly notation: Notation } | undefined;
  readonly isVariable: boolean;
}

/** Prints an operand, in parentheses when it binds more loosely than `precedence` (default: never). */
export type Show = (operand: Printable, precedence?: number) => string;

/** How an op prints: how strongly it binds, and its infix text and LaTeX from its operands. */
export interface Notation<Arity extends number | 'pairs' = number | 'pairs'> {
  readonly precedence: number;
  text(inputs: Operands<Arity, Printable>, show: Show): string;
  latex(inputs: Operands<Arity, Printable>, show: Show): string;
}

/**
 * A binary operator written between its operands, e.g. `infix('*', Precedence.product)`.
 * `right` is the precedence the right operand needs to go without parentheses (raise it for
 * `-` and `/`, where `a / (b * c)` needs them).
 */
export function infix(
  symbol: string,
  precedence: number,
  { latex = symbol, right = precedence }: { latex?: string; right?: number } = {},
): Notation<2> {
  expectText(symbol, 'infix: the symbol');
  expectText(latex, 'infix: the LaTeX');
  for (const level of [precedence, right]) {
    if (typeof level !== 'number') {
      throw new AutogradError(`infix: a precedence is a number, got ${describe(level)}`);
    }
  }
  return {
    precedence,
    text: ([a, b], show) => `${show(a, precedence)} ${symbol} ${show(b, right)}`,
    latex: ([a, b], show) => `${show(a, precedence)} ${latex} ${show(b, right)}`,
  };
}

/** A function call such as `tanh(x)`; `latex` is the LaTeX for the name (`\tanh`). */
export function call(name: string, latex = `\\operatorname{${name}}`): Notation {
  expectText(name, 'call: the name');
  expectText(latex, 'call: the LaTeX');
  return {
    precedence: Precedence.atom,
    text: (inputs, show) => `${name}(${inputs.map((x) => show(x)).join(', ')})`,
    latex: (inputs, show) => `${latex}\\left(${inputs.map((x) => show(x)).join(', ')}\\right)`,
  };
}

/** Options for printing a formula. */
export interface FormulaOptions {
  /** Print labelled op nodes by their definition instead of their label (default false). */
  expand?: boolean;
  /** Longest text kept for any one sub-formula; longer ones become `…` (default 100,000). */
  maxLength?: number;
}

/**
 * The infix formula of a graph, with labels and minimal parentheses, e.g. `σ(w1 * x1 + b1)`.
 * Labelled op nodes inside print as their labels unless `expand` is set.
 */
export function formula(root: Printable, options: FormulaOptions = {}): string {
  return render(expectValue(root, 'formula'), 'text', expectOptions(options, 'formula'));
}

/** The LaTeX of a graph, e.g. `\sigma\left(w_{1} \cdot x_{1} + b_{1}\right)`. */
export function latex(root: Printable, options: FormulaOptions = {}): string {
  return render(expectValue(root, 'latex'), 'latex', expectOptions(options, 'latex'));
}

function expectText(text: unknown, what: string): void {
  if (typeof text !== 'string' || text === '') {
    throw new AutogradError(`${what} must be a non-empty string, got ${describe(text)}`);
  }
}

interface Printed {
  readonly text: string;
  readonly precedence: number;
}

function render(
  root: Printable,
  style: 'text' | 'latex',
  { expand = false, maxLength = 100_000 }: FormulaOptions,
): string {
  if (!(maxLength >= 1)) {
    throw new AutogradError(`maxLength must be a number ≥ 1, got ${describe(maxLength)}`);
  }
  const printed = new Map<Printable, Printed>();
  const show: Show = (operand, precedence = 0) => {
    const { text, precedence: own } = printed.get(operand)!;
    if (own >= precedence) return text;
    return style === 'latex' ? `\\left(${text}\\right)` : `(${text})`;
  };
  for (const node of topologicalOrder([root])) {
    let result: Printed;
    if (node.label !== undefined && (node.op === undefined || (node !== root && !expand))) {
      result = {
        text: style === 'latex' ? latexName(node.label) : node.label,
        precedence: Precedence.atom,
      };
    } else if (node.op === undefined) {
      result = node.isVariable
        ? { text: `v${node.id}`, precedence: Precedence.atom }
        : printNumber(node.value, style);
    } else {
      const { notation } = node.op;
      const text = notation[style](node.inputs, show);
      result = { text: text.length > maxLength ? '…' : text, precedence: notation.precedence };
    }
    printed.set(node, result);
  }
  return printed.get(root)!.text;
}

function printNumber(value: number, style: 'text' | 'latex'): Printed {
  const precedence = value < 0 || Object.is(value, -0) ? Precedence.negation : Precedence.atom;
  let text = Object.is(value, -0) ? '-0' : String(value);
  if (style === 'latex') {
    text = text
      .replace(
        /^(-?[\d.]+)e([+-]\d+)$/,
        (_, mantissa: string, exponent: string) => `${mantissa} \\times 10^{${Number(exponent)}}`,
      )
      .replace('Infinity', '\\infty');
  }
  return { text, precedence };
}

/** `w1` → `w_{1}`, `sum_h1` → `\mathrm{sum}_{h1}`, `x` → `x`. */
function latexName(label: string): string {
  const match = /^([A-Za-z]+)(?:_([A-Za-z0-9]+)|(\d+))$/.exec(label);
  const [base, subscript] = match ? [match[1]!, match[2] ?? match[3]!] : [label, undefined];
  const name = base.length === 1 ? base : `\\mathrm{${base.replace(/([_#$%&{}])/g, '\\$1')}}`;
  return subscript === undefined ? name : `${name}_{${subscript}}`;
}
