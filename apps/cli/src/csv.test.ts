import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRecords } from './csv.js';

describe('reading CSV records', () => {
  it('splits a plain file (no quotes, no spaces) to the very records csv-parse reads', () => {
    const cell = fc.stringMatching(/^[0-9a-zA-Z.e+-]{0,6}$/);
    const file = fc.record({
      delimiter: fc.constantFrom(',', ';', '\t'),
      lines: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), {
        minLength: 1,
        maxLength: 8,
      }),
      blank: fc.array(fc.nat(9), { maxLength: 3 }),
      bom: fc.boolean(),
      lastBreak: fc.boolean(),
    });
    fc.assert(
      fc.property(file, ({ delimiter, lines, blank, bom, lastBreak }) => {
        const rows = lines.map((cells) => cells.join(delimiter));
        for (const at of blank) rows.splice(at % (rows.length + 1), 0, '');
        const text = (bom ? '\uFEFF' : '') + rows.join('\n') + (lastBreak ? '\n' : '');
        const read = (fast: boolean) =>
          readRecords(text, delimiter, fast).map(({ record, info }) => [record, info.lines]);
        expect(read(true)).toEqual(read(false));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves quotes, spaces and carriage returns to csv-parse', () => {
    const text = 'a,b\r\n" 1, 2", 3 \r\n';
    expect(readRecords(text, ',')).toEqual([
      { record: ['a', 'b'], info: expect.objectContaining({ lines: 1 }) },
      { record: [' 1, 2', '3'], info: expect.objectContaining({ lines: 2 }) },
    ]);
  });
});
