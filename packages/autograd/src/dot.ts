import { AutogradError, expectOptions, expectValues } from './errors.js';
import { formula } from './format.js';
import { topologicalOrder } from './graph.js';
import { dot } from './ops/dot.js';
import { Value } from './value.js';

/**
 * The graph as Graphviz DOT, micrograd's `draw_dot`: one box per node with its name (label, op or
 * constant), value and grad, and an arrow from each input to the node that uses it.
 * @example writeFileSync('loss.dot', toDot(loss)); // dot -Tsvg loss.dot > loss.svg
 */
export function toDot(roots: Value | readonly Value[], options: { digits?: number } = {}): string {
  expectValues(roots, 'toDot');
  const { digits = 4 } = expectOptions(options, 'toDot');
  if (!(Number.isInteger(digits) && digits >= 1 && digits <= 100)) {
    throw new AutogradError(`toDot: digits must be a whole number from 1 to 100, got ${digits}`);
  }
  const list = roots instanceof Value ? [roots] : roots;
  const number = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(digits));
  const lines = [
    'digraph dendrite {',
    '  rankdir=LR;',
    '  node [shape=record, fontname="Helvetica"];',
  ];
  for (const node of topologicalOrder(list)) {
    const name =
      node.label ??
      (node.op && opName(node)) ??
      (node.isVariable ? `v${node.id}` : number(node.value));
    const fields = [name, `value ${number(node.value)}`, `grad ${number(node.grad)}`].map(
      escapeRecord,
    );
    lines.push(`  n${node.id} [label="{ ${fields.join(' | ')} }"];`);
    for (const input of node.inputs) lines.push(`  n${input.id} -> n${node.id};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * An op node's name in its box: its op's, but a `dot` over named inputs and numbers is drawn as
 * the sum it is, such as `w1 * x1 + w2 * x2 + b1`, when that is short.
 */
function opName(node: Value): string {
  const named = (input: Value) => input.label !== undefined || input.op === undefined;
  if (node.op === dot.op && node.inputs.every(named)) {
    const sum = formula(node);
    if (sum.length <= 60) return sum;
  }
  return node.op!.name;
}

/** Escapes what a DOT record label treats as structure. */
function escapeRecord(text: string): string {
  return text.replace(/[\\"{}|<>]/g, (c) => `\\${c}`);
}
