// The user's own points, from a CSV file: any two numeric columns as x and y, and a label column
// that is two classes, more classes (one colour each) or numbers.
import { parse } from 'csv-parse/browser/esm/sync';
import { classIndices, encodeClass, guessTask, type Example } from '@dendrite/nn';

/** A CSV file's header and rows. */
export interface Table {
  source: string;
  columns: string[];
  rows: string[][];
}

/** Which columns are x, y and the label. */
export interface Columns {
  x: string;
  y: string;
  label: string;
}

/** Reads CSV text with a header row (comma, semicolon or tab). */
export function readTable(text: string, source: string): Table {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      delimiter: [',', ';', '\t'],
    });
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
  if (rows.length < 3) throw new Error(`${source} needs a header row and at least two points`);
  const [columns, ...body] = rows;
  if (columns!.length < 3) {
    throw new Error(`${source} needs three columns (x, y and a label), got ${columns!.join(', ')}`);
  }
  return { source, columns: columns!, rows: body };
}

/**
 * The columns to start with: ones named x, y and label if there are; else the label is the last
 * column, as the CLI's target is, or the last column of text when the last holds numbers; x and
 * y are the first two columns of numbers besides it.
 */
export function defaultColumns({ columns, rows }: Table): Columns {
  const named = (name: string) => columns.find((c) => c.toLowerCase() === name);
  const numeric = columns.filter((_, j) =>
    rows.every((row) => row[j] === undefined || row[j] === '' || Number.isFinite(Number(row[j]))),
  );
  const last = columns.at(-1)!;
  const text = columns.filter((c) => !numeric.includes(c));
  const label = named('label') ?? (numeric.includes(last) && text.length > 0 ? text.at(-1)! : last);
  const inputs = [...numeric, ...text].filter((c) => c !== label);
  return { x: named('x') ?? inputs[0]!, y: named('y') ?? inputs[1] ?? inputs[0]!, label };
}

/**
 * The points (x, y) → label of the chosen columns, and the classes if the labels are classes:
 * two classes become −1/+1 (the Playground's), more become one-hot targets, numbers stay numbers.
 */
export function readPoints(
  table: Table,
  chosen: Columns,
): { points: Example[]; classes?: string[] } {
  const at = (name: string) => table.columns.indexOf(name);
  const [x, y, label] = [at(chosen.x), at(chosen.y), at(chosen.label)];
  const inputs = table.rows.map((row, i) => {
    const numbers = [row[x], row[y]].map((cell) =>
      cell === undefined || cell === '' ? NaN : Number(cell),
    );
    if (!numbers.every(Number.isFinite) || row[label] === undefined || row[label] === '') {
      throw new Error(
        `${table.source} row ${i + 2}: expected numbers in ${chosen.x} and ${chosen.y} and a label in ${chosen.label}, got ${row.join(', ')}`,
      );
    }
    return numbers;
  });
  const labels = table.rows.map((row) => row[label]!);
  const task = guessTask(labels);
  if (task.kind === 'regression') {
    return { points: inputs.map((input, i) => ({ input, target: Number(labels[i]) })) };
  }
  const { classes } = task;
  const size = classes.length === 2 ? 1 : classes.length;
  const targets = classIndices(labels, classes).map((c) => encodeClass(c, size, 'tanh'));
  return { points: inputs.map((input, i) => ({ input, target: targets[i]! })), classes };
}
