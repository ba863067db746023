import { NeuralNetworkError } from './errors.js';

/**
 * What each raw input column of a model is: `null` for a column of numbers, or the categories of
 * a column of text, which the network sees one-hot (one input per category, in this order).
 */
export type Categories = (string[] | null)[];

const isNumber = (cell: string) => cell.trim() !== '' && Number.isFinite(Number(cell));
/** A number written with a decimal comma, which a column of numbers may hold by mistake. */
const decimalComma = /^[-+]?\d+,\d+$/;

/**
 * Which columns of these rows of cells hold categories, and which: a column whose cells are
 * mostly words (not numbers, nor numbers with a decimal comma) is categorical, its categories
 * sorted; any other column is `null`, numbers (a word among them is for the caller to report). A column of text that differs in every row (a
 * name, an identifier) is a `NeuralNetworkError` that names it (by `names`, or by position).
 */
export function fitCategories(
  rows: readonly (readonly string[])[],
  names: readonly string[] = [],
): Categories {
  const width = rows[0]?.length ?? 0;
  const isWord = (cell: string) => !isNumber(cell) && !decimalComma.test(cell);
  return Array.from({ length: width }, (_, j) => {
    // Read only until the answer is sure: a column of numbers is decided halfway down.
    let words = 0;
    for (let r = 0; r < rows.length && (words + rows.length - r) * 2 > rows.length; r++) {
      if (isWord(rows[r]![j]!)) words++;
    }
    if (words * 2 <= rows.length) return null;
    const cells = rows.map((row) => row[j]!);
    const column = columnName(j, names);
    const categories = [...new Set(cells)].sort();
    if (categories.length === cells.length && cells.length > 2) {
      throw new NeuralNetworkError(
        `${column} has a different value in every row (${categories.slice(0, 3).join(', ')}, …), so it says nothing about any other row, as a name or an identifier: leave it out of the inputs`,
      );
    }
    return categories;
  });
}

/** How many numbers a row becomes: one per column of numbers, one per category of the others. */
export function encodedWidth(categories: Categories): number {
  return categories.reduce((width, column) => width + (column?.length ?? 1), 0);
}

/** The name of the network's inputs a row becomes: a number column's own, `column=category` for each category. */
export function encodedNames(categories: Categories, names: readonly string[]): string[] {
  return categories.flatMap((column, j) =>
    column === null ? [names[j]!] : column.map((category) => `${names[j]}=${category}`),
  );
}

/**
 * A row of raw cells as the network's numbers: a column of numbers as its number, a categorical
 * one as 1 for its category and 0 for the others; a missing cell (the number NaN) as NaN for each.
 * A cell that is not a number, or a category the model has not seen, is a `NeuralNetworkError`
 * naming the column (by `names`, or by position).
 */
export function encodeRow(
  cells: readonly (string | number)[],
  categories: Categories,
  names: readonly string[] = [],
): number[] {
  if (cells.length !== categories.length) {
    throw new NeuralNetworkError(
      `the model takes ${categories.length} inputs, got ${cells.length}`,
    );
  }
  const encoded: number[] = [];
  categories.forEach((column, j) => {
    const cell = cells[j]!;
    if (typeof cell === 'number' && Number.isNaN(cell)) {
      for (let k = 0; k < (column?.length ?? 1); k++) encoded.push(NaN);
      return;
    }
    if (column === null) {
      const value = typeof cell === 'number' ? cell : isNumber(cell) ? Number(cell) : NaN;
      if (Number.isNaN(value)) {
        throw new NeuralNetworkError(
          `${columnName(j, names)}: ${JSON.stringify(cell)} is not a number`,
        );
      }
      encoded.push(value);
      return;
    }
    const index = column.indexOf(String(cell));
    if (index < 0) {
      throw new NeuralNetworkError(
        `${columnName(j, names)}: ${JSON.stringify(String(cell))} is not one of the categories the model was trained on (${column.join(', ')})`,
      );
    }
    for (let k = 0; k < column.length; k++) encoded.push(k === index ? 1 : 0);
  });
  return encoded;
}

const columnName = (j: number, names: readonly string[]) =>
  names[j] === undefined ? `input ${j + 1}` : `column "${names[j]}"`;
