// The user's own points, from a CSV file.
import { parse } from 'csv-parse/browser/esm/sync';
import type { Example } from '@dendrite/nn';

/** Points from CSV text with a header row: the first two columns are x and y, the third the label (0/1 labels become -1/1). */
export function readPoints(text: string, source: string): Example[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
  if (rows.length < 3) throw new Error(`${source} needs a header row and at least two points`);
  const points = rows.slice(1).map((row, i) => {
    const numbers = row.slice(0, 3).map(Number);
    if (row.length < 3 || !numbers.every(Number.isFinite)) {
      throw new Error(
        `${source} row ${i + 2}: expected three numbers (x, y, label), got ${row.join(', ')}`,
      );
    }
    return { input: [numbers[0]!, numbers[1]!], target: numbers[2]! };
  });
  if (points.every((p) => p.target === 0 || p.target === 1)) {
    for (const p of points) p.target = p.target === 1 ? 1 : -1;
  }
  return points;
}
