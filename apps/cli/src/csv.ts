import { parse } from 'csv-parse/sync';
import { CliError } from './errors.js';

/** A CSV file with a header row: its column names and its rows, each with its line number. */
export interface Table {
  source: string;
  columns: string[];
  rows: { line: number; cells: string[] }[];
}

/**
 * Parses CSV text whose first row names the columns, each once. A ragged row or a malformed file
 * is a `CliError` that gives the line number.
 */
export function parseTable(text: string, source: string): Table {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with where it was read (the types don't say so).
    records = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new CliError(`${source}: ${(error as Error).message}`);
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

/** The named columns of every row as numbers; a cell that is not a number is a `CliError` with its line. */
export function numbers(table: Table, names: readonly string[]): number[][] {
  const indices = columnIndices(table, names);
  return table.rows.map(({ line, cells }) =>
    indices.map((index, k) => {
      const cell = cells[index]!;
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        throw new CliError(
          `${table.source} line ${line}, column "${names[k]}": ${JSON.stringify(cell)} is not a number`,
        );
      }
      return value;
    }),
  );
}
