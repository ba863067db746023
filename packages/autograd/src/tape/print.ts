import { Code } from './codes.js';
import type { Tape } from './tape.js';

const names = new Map(Object.entries(Code).map(([name, code]) => [code, name]));

/**
 * @internal A tape as text: where its numbers are, then each step as what it computes. What a tape
 * is, for a reader (see `tape.test.ts`) and for a test that pins one.
 */
export function printTape(tape: Tape): string {
  const { slots, parameterOffset, parameters, codes, results, rows, ops, sums } = tape;
  const s = (slot: number) => `s${slot}`;
  const range = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => s(from + i)).join(' ') || '(none)';
  const one = parameterOffset + parameters.length;
  const firstResult = results[0] ?? slots.length;
  const lines = [
    `inputs      ${range(0, parameterOffset)}`,
    `parameters  ${range(parameterOffset, one)}`,
    `constants   ${Array.from({ length: firstResult - one }, (_, i) => `${s(one + i)} = ${slots[one + i]}`).join(', ')}`,
  ];
  codes.forEach((code, k) => {
    const [row, result] = [rows[k]!, s(results[k]!)];
    if (code !== Code.sum) {
      const operands = [ops.a[row]!, ops.b[row]!].filter((slot) => slot >= 0).map(s);
      const name = tape.definitions?.[row]?.name ?? names.get(code)!;
      lines.push(`step ${k}      ${result} = ${name}(${operands.join(', ')})`);
      return;
    }
    const pairs: string[] = [];
    for (let p = sums.first[row]!; p < sums.end[row]!; p++) {
      pairs.push(`${s(sums.left[p]!)} * ${s(sums.right[p]!)}`);
    }
    const even =
      sums.leftStart[row]! < 0
        ? ''
        : `; but the last pair in loops: left from ${s(sums.leftStart[row]!)} by 1, right from ${s(sums.rightStart[row]!)} by ${sums.rightStride[row]}`;
    const sides = ['', 'left', 'right', 'both'][sums.sides[row]!];
    lines.push(
      `step ${k}      ${result} = ${pairs.join(' + ')}    (a sum; adjoints to ${sides || 'neither'} side${even})`,
    );
  });
  lines.push(`roots       ${[...tape.roots].map(s).join(' ')}`);
  return lines.join('\n');
}
