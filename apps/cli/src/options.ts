import { InvalidArgumentError, Option, type Command } from 'commander';

// Parsers for option values: commander reports a thrown InvalidArgumentError as a usage error
// that names the option and the value.

/** A number > 0. */
export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value > 0 && Number.isFinite(value))) {
    throw new InvalidArgumentError('it must be a positive number.');
  }
  return value;
}

/** A whole number ≥ `low`. */
export function wholeNumber(low: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < low) {
      throw new InvalidArgumentError(`it must be a whole number ≥ ${low}.`);
    }
    return value;
  };
}

/** A number in [low, high]. */
export function numberBetween(low: number, high: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !(value >= low && value <= high)) {
      throw new InvalidArgumentError(`it must be a number from ${low} to ${high}.`);
    }
    return value;
  };
}

/** A comma-separated list of names, e.g. `weight,height`. */
export function names(text: string): string[] {
  const list = text.split(',').map((name) => name.trim());
  if (list.some((name) => name === '')) {
    throw new InvalidArgumentError('it must be a comma-separated list of names, e.g. a,b.');
  }
  return list;
}

/** Hidden layer sizes, e.g. `4,2`; an empty string for none. */
export function layerSizes(text: string): number[] {
  if (text.trim() === '') return [];
  const sizes = text.split(',').map(Number);
  if (!sizes.every((size) => Number.isInteger(size) && size >= 1)) {
    throw new InvalidArgumentError('it must list whole numbers ≥ 1, e.g. 4,2 (or "" for none).');
  }
  return sizes;
}

/** A CSV delimiter: one character, or `tab` (also `\t` as a shell passes it). */
export function delimiter(text: string): string {
  if (text === 'tab' || text === '\\t') return '\t';
  if (text.length !== 1 || /["\r\n]/.test(text)) {
    throw new InvalidArgumentError('it must be one character, such as ";" or "|", or tab.');
  }
  return text;
}

/**
 * Adds the options for reading a CSV file to a command: `--delimiter`, `--no-header` and
 * `--missing`, whose `drop` does what `dropping` says.
 */
export function addCsvOptions(command: Command, dropping: string): Command {
  return command
    .option(
      '--delimiter <char>',
      'the CSV delimiter, or tab (default: comma, semicolon or tab, whichever the first line has most of)',
      delimiter,
    )
    .option('--no-header', 'the CSV file has no header row: its columns are named 1, 2, …')
    .addOption(
      new Option(
        '--missing <what>',
        `a row with a missing value (empty, NA, NaN, ?): an error, ${dropping}, or mean: a missing input takes its training mean (the model records them)`,
      )
        .choices(['error', 'drop', 'mean'])
        .default('error'),
    );
}
