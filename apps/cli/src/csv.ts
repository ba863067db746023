import { createRequire } from 'node:module';
import type { parse as Parse } from 'csv-parse/sync';
import { CliError } from './errors.js';

/** A CSV file with a header row: its column names and its rows, each with its line number. */
export interface Table {
  source: string;
  columns: string[];
  rows: { line: number; cells: string[] }[];
}

/** How to read a CSV file: its delimiter (default: guessed), and whether its first row names the columns. */
export interface CsvOptions {
  delimiter?: string;
  /** False: every row is data, and the columns are named by position, `1`, `2`, … */
  header?: boolean;
}

/** A row as csv-parse reads it with `info: true`: its cells, and the line it ends on. */
export type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * The records of CSV text, as csv-parse reads them (BOM dropped, cells trimmed, empty lines
 * skipped, rows of any length). A file with no quotes and no whitespace but its line breaks, the
 * common table of numbers, has nothing csv-parse would do but split it, so it is split here,
 * five times as fast; `csv.test.ts` checks the two agree on random files.
 */
export function readRecords(text: string, delimiter: string, fast = true): CsvRecord[] {
  const unusual = delimiter === '\t' ? /["\r ]/ : /["\r\t ]/;
  if (fast && !unusual.test(text)) {
    const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
    const records: CsvRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== '')
        records.push({ record: lines[i]!.split(delimiter), info: { lines: i + 1 } });
    }
    return records;
  }
  // (csv-parse loads only for such a file.) With `info: true` each record comes with where it was
  // read (the types don't say so).
  const { parse } = createRequire(import.meta.url)('csv-parse/sync') as { parse: typeof Parse };
  return parse(text, {
    delimiter,
    info: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as unknown as CsvRecord[];
}

/** The delimiters a file may use when none is given: the one its first line has most of. */
const delimiters = [',', ';', '\t'];

/** The delimiter of the first line: the most frequent of comma, semicolon and tab outside quotes. */
export function guessDelimiter(text: string): string {
  const firstLine = (/^[^\n]*/.exec(text)?.[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = delimiters.map((d) => firstLine.split(d).length);
  return delimiters[counts.indexOf(Math.max(...counts))]!;
}

/**
 * Parses CSV text whose first row names the columns, each once (or, with `header: false`, whose
 * columns are named by position). A ragged row or a malformed file is a `CliError` that gives the
 * line number.
 */
export function parseTable(text: string, source: string, options: CsvOptions = {}): Table {
  const delimiter = options.delimiter ?? guessDelimiter(text);
  let records: CsvRecord[];
  try {
    records = readRecords(text, delimiter);
  } catch (error) {
    throw new CliError(`${source}: ${(error as Error).message}`);
  }
  if (options.header === false) {
    const width = records[0]?.record.length ?? 0;
    records.unshift({
      record: Array.from({ length: width }, (_, i) => String(i + 1)),
      info: { lines: 0 },
    });
  }
  const [header, ...body] = records;
  if (header === undefined) throw new CliError(`${source} is empty; it needs a header row`);
  const columns = header.record;
  const unnamed = columns.indexOf('');
  if (unnamed >= 0)
    throw new CliError(`${source}: column ${unnamed + 1} of the header has no name`);
  const twice = columns.find((name, i) => columns.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new CliError(`${source} has two columns named "${twice}"; columns are chosen by name`);
  }
  const rows = body.map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw new CliError(
        `${source} line ${info.lines}: ${record.length} values, but the header names ${columns.length} columns`,
      );
    }
    return { line: info.lines, cells: record };
  });
  if (rows.length === 0) throw new CliError(`${source} has a header row but no data rows`);
  return { source, columns, rows };
}

/** The position of each named column; an unknown name is a `CliError` that lists the columns there are. */
export function columnIndices(table: Table, names: readonly string[]): number[] {
  return names.map((name) => {
    const index = table.columns.indexOf(name);
    if (index < 0) {
      throw new CliError(
        `${table.source} has no column "${name}"; its columns are ${table.columns.join(', ')}`,
      );
    }
    return index;
  });
}

/** True for a cell that marks a missing value: empty, `NA`, `N/A`, `NaN`, `null`, `None` or `?`. */
export function isMissing(cell: string): boolean {
  return cell.length <= 4 && /^(|na|n\/a|nan|null|none|\?)$/i.test(cell);
}

/**
 * What to do with a row that misses a value: refuse the file, drop the row, or fill a missing
 * input with its training mean (a row missing its target is dropped).
 */
export type MissingPolicy = 'error' | 'drop' | 'mean';

/**
 * The table without its rows that miss a value in one of these columns (`drop`), or a `CliError`
 * that names the first such row and column (`error`).
 */
export function handleMissing(
  table: Table,
  names: readonly string[],
  policy: Exclude<MissingPolicy, 'mean'>,
): { table: Table; dropped: number } {
  const indices = columnIndices(table, names);
  const complete = table.rows.filter(({ line, cells }) => {
    const gap = indices.findIndex((index) => isMissing(cells[index]!));
    if (gap < 0) return true;
    if (policy === 'drop') return false;
    throw new CliError(
      `${table.source} line ${line}, column "${names[gap]}": a missing value (${JSON.stringify(cells[indices[gap]!])}); ${missingHint}`,
    );
  });
  if (complete.length === 0) {
    throw new CliError(`${table.source}: every row misses a value in ${names.join(', ')}`);
  }
  return { table: { ...table, rows: complete }, dropped: table.rows.length - complete.length };
}

/** The named columns of every row as text. */
export function cellsOf(table: Table, names: readonly string[]): string[][] {
  const indices = columnIndices(table, names);
  return table.rows.map(({ cells }) => indices.map((index) => cells[index]!));
}

const missingHint = 'drop such rows with --missing drop, or fill the gaps with --missing mean';

/**
 * The named columns of every row as numbers, a missing value as NaN if `gaps` allows it; a cell
 * that is not a number (or is missing, otherwise) is a `CliError` with its line.
 */
export function numbers(table: Table, names: readonly string[], gaps = false): number[][] {
  const indices = columnIndices(table, names);
  return table.rows.map(({ line, cells }) =>
    indices.map((index, k) => {
      const cell = cells[index]!;
      const value = Number(cell);
      if (isMissing(cell)) {
        if (gaps) return NaN;
        throw new CliError(
          `${table.source} line ${line}, column "${names[k]}": a missing value (${JSON.stringify(cell)}); ${missingHint}`,
        );
      }
      if (!Number.isFinite(value)) {
        const comma = /^[-+]?\d+,\d+$/.test(cell)
          ? ' (dendrite reads decimal points, not commas)'
          : '';
        throw new CliError(
          `${table.source} line ${line}, column "${names[k]}": ${JSON.stringify(cell)} is not a number${comma}`,
        );
      }
      return value;
    }),
  );
}
