import asciichart from 'asciichart';

/** A number with `digits` decimals, e.g. a loss as `0.0123`. */
export function fixed(value: number | undefined, digits = 4): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** A fraction as a percentage with one decimal, e.g. `97.5%`. */
export function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

/** Rows of cells as aligned columns: numbers right-aligned, text left-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  const numeric = /^[-+]?(\d|\.\d|–)/;
  return rows
    .map((row) =>
      row
        .map((cell, j) =>
          numeric.test(cell) ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A line chart of the loss per epoch in text, at most `width` points wide; the second series in blue when `color`. */
export function lossChart(
  series: readonly (readonly number[])[],
  color: boolean,
  width = 60,
): string {
  const step = Math.max(1, Math.ceil(series[0]!.length / width));
  const sampled = series.map((values) => values.filter((_, i) => i % step === 0));
  return asciichart.plot(sampled, {
    height: 10,
    format: (x: number) => x.toFixed(4).padStart(8),
    ...(color ? { colors: [asciichart.default, asciichart.blue] } : {}),
  });
}

/** A value as indented JSON with a final newline, for `--json`. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
