import { decodeClass } from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { statSync } from 'node:fs';
import {
  cellsOf,
  handleMissing,
  isMissing,
  numbers,
  parseTable,
  type MissingPolicy,
} from '../csv.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import { checkGapsFilled, inputColumns, predictRaw, readModel, type Model } from '../model.js';
import { addCsvOptions, names } from '../options.js';
import { json, table } from '../text.js';

interface PredictOptions {
  input?: string;
  features?: string[];
  keep?: string[];
  delimiter?: string;
  header: boolean;
  missing: MissingPolicy;
  format: 'table' | 'csv' | 'json';
  json?: boolean;
}

/** `dendrite predict`: a model's outputs for inputs from arguments, a CSV file or stdin. */
export function registerPredict(program: Command, io: Io): void {
  const command = program
    .command('predict')
    .summary("a model's predictions for inputs from arguments, a CSV file or stdin")
    .description(
      "Prints a model's predictions. Give each input as an argument of comma-separated numbers" +
        " (in the order of the model's inputs), or a CSV file with a header row (as the argument, or with --input): the model picks" +
        ' its own input columns by name, or name them with --features. With neither, reads CSV from stdin.' +
        ' A classifier prints the predicted class and the probability of every class; --keep carries' +
        ' columns such as an id through to the output.',
    )
    .argument('<model>', 'a dendrite model file (from dendrite train or dendrite playground)')
    .argument('[inputs...]', 'inputs such as -7,-3 (one per argument), or a CSV file')
    .option('-i, --input <file>', 'a CSV file with a header row ("-" for stdin)')
    .option('--features <columns>', 'the CSV columns to use as inputs, in order', names)
    .option('--keep <columns>', 'CSV columns to copy to the output, e.g. an id', names);
  addCsvOptions(command, 'leave its prediction empty (the count is printed)')
    .addOption(
      new Option('-f, --format <format>', 'how to print the predictions')
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .option('--json', 'the same as --format json')
    .allowUnknownOption() // so that negative inputs such as -7,-3 are not taken for options
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite predict model.json -7,-3 20,2
  $ dendrite predict model.json people.csv --format csv > predictions.csv
  $ dendrite predict iris.json --input flowers.csv --keep id
  $ cat people.csv | dendrite predict model.json --json`,
    )
    .action(async (modelPath: string, args: string[], options: PredictOptions) => {
      const model = await readModel(modelPath, io, program);
      let rows: (number | string)[][];
      let outputs: (number[] | undefined)[];
      let inputNames = model.inputNames;
      let kept: Kept = { names: [], rows: [] };
      // `dendrite predict model.json rows.csv`: an argument that names a file is the CSV input.
      if (args.length === 1 && options.input === undefined && isFile(args[0]!)) {
        options.input = args.pop();
      }
      if (args.length > 0) {
        if (options.input !== undefined) {
          throw new CliError('give inputs as arguments or with --input, not both', 2);
        }
        if (options.keep !== undefined) {
          throw new CliError('--keep copies columns of a CSV input; give one with --input', 2);
        }
        rows = args.map((arg, i) => parseRow(arg, i + 1, model));
        outputs = predictRaw(model, rows, (i) => `input ${i + 1}`);
      } else {
        const source = options.input ?? (io.stdin.isTTY ? undefined : '-');
        if (source === undefined) {
          throw new CliError(
            'no inputs: give them as arguments (dendrite predict model.json 1,2), with --input file.csv, or as CSV on stdin',
            2,
          );
        }
        const text = await readText(source, io);
        if (source === '-' && options.input === undefined && text.trim() === '') {
          throw new CliError(
            'no inputs: give them as arguments (dendrite predict model.json 1,2), with --input file.csv, or as CSV on stdin',
            2,
          );
        }
        const table = parseTable(text, source === '-' ? 'stdin' : source, {
          header: options.header,
          ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
        });
        inputNames = inputColumns(model, table, options.features);
        // A row that misses a value keeps its place in the output, its prediction left empty
        // (or, with --missing mean, the model fills the gap with its training mean).
        checkGapsFilled(model, options.missing);
        const gaps = options.missing === 'mean';
        const { table: data, dropped } =
          options.missing === 'mean'
            ? { table, dropped: 0 }
            : handleMissing(table, inputNames, options.missing);
        if (dropped > 0) {
          const rows = dropped === 1 ? 'row misses' : 'rows miss';
          io.stderr.write(
            `dendrite: ${dropped} ${rows} a value: ${dropped === 1 ? 'its prediction is' : 'their predictions are'} left empty\n`,
          );
        }
        // A model with categories takes their text; it checks every value as it encodes it.
        const complete = model.preprocessing.categories
          ? cellsOf(data, inputNames).map((row) =>
              row.map((cell) => (gaps && isMissing(cell) ? NaN : cell)),
            )
          : numbers(data, inputNames, gaps);
        const predicted = predictRaw(model, complete, (i) => `row ${i + 1}`);
        const row = new Map(data.rows.map((line, i) => [line, i]));
        // Shown as given: a gap (filled, or not predicted) keeps its own text.
        rows = cellsOf(table, inputNames).map((cells, i) => {
          const at = row.get(table.rows[i]!);
          if (at === undefined) return cells;
          return complete[at]!.map((value, j) => (Number.isNaN(value) ? cells[j]! : value));
        });
        outputs = table.rows.map((line) => (row.has(line) ? predicted[row.get(line)!] : undefined));
        if (options.keep !== undefined)
          kept = { names: options.keep, rows: cellsOf(table, options.keep) };
      }
      print(io, options.json ? 'json' : options.format, {
        model,
        inputNames,
        rows,
        outputs,
        kept,
      });
    });
}

/** Columns carried through from a CSV input, by name, and each row's cells of them. */
interface Kept {
  names: string[];
  rows: string[][];
}

/** Whether a path names an existing file. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function parseRow(text: string, position: number, model: Model): (number | string)[] {
  if (/^--?[a-z]/i.test(text)) throw new CliError(`unknown option ${text}`, 2);
  const cells = text.split(',').map((cell) => cell.trim());
  const categorical = model.preprocessing.categories !== undefined;
  const row = categorical ? cells : cells.map(Number);
  if (text.trim() === '' || (!categorical && row.some((x) => !Number.isFinite(x)))) {
    throw new CliError(`input ${position} "${text}" is not comma-separated numbers`);
  }
  if (row.length !== model.rawWidth) {
    throw new CliError(
      `input ${position} has ${row.length} ${categorical ? 'values' : 'numbers'}; ${model.path} takes ${model.rawWidth} (${model.inputNames.join(', ')})`,
    );
  }
  return row;
}

/** What a model's outputs are called: its targets', or `prediction` / `o1, o2, …`. */
function outputNames(model: Model): string[] {
  const count = model.network.outputSize;
  if (model.targetNames?.length === count) return model.targetNames;
  if (count === 1) return ['prediction'];
  return Array.from({ length: count }, (_, i) => `o${i + 1}`);
}

/** The predictions as a table, CSV or JSON: a classifier's as its class and each class's probability. */
function print(
  io: Io,
  format: 'table' | 'csv' | 'json',
  {
    model,
    inputNames,
    rows,
    outputs,
    kept,
  }: {
    model: Model;
    inputNames: string[];
    rows: (number | string)[][];
    /** Each row's outputs; none for a row that misses a value. */
    outputs: (number[] | undefined)[];
    kept: Kept;
  },
): void {
  const { task } = model;
  const activation = model.network.activations.at(-1)!;
  const classes = task.kind === 'classification' ? task.classes : undefined;
  const decoded = classes && outputs.map((output) => output && decodeClass(output, activation));
  if (format === 'json') {
    const predictions = rows.map((input, i) => {
      const prediction: Record<string, unknown> = { input, output: outputs[i] ?? null };
      if (kept.names.length > 0)
        prediction.kept = Object.fromEntries(kept.names.map((name, k) => [name, kept.rows[i]![k]]));
      const chosen = decoded?.[i];
      if (classes && chosen) {
        prediction.class = classes[chosen.index];
        prediction.probabilities = Object.fromEntries(
          classes.map((name, c) => [name, chosen.probabilities[c]]),
        );
      }
      return prediction;
    });
    io.stdout.write(
      json({
        inputs: inputNames,
        outputs: outputNames(model),
        ...(classes ? { classes } : {}),
        predictions,
      }),
    );
    return;
  }
  // Named apart from the input and kept columns: predicted_species beside a kept species.
  const predicted = (name: string) => `predicted_${name}`;
  const classColumn = predicted(model.targetNames?.length === 1 ? model.targetNames[0]! : 'class');
  const outputColumns = classes
    ? [classColumn, ...classes.map((name) => `p(${name})`)]
    : model.targetNames?.length === model.network.outputSize
      ? model.targetNames.map(predicted)
      : outputNames(model);
  const header = [...kept.names, ...inputNames, ...outputColumns];
  const lines = rows.map((row, i) => {
    const chosen = decoded?.[i];
    const output = outputs[i];
    return [
      ...(kept.rows[i] ?? []),
      ...row.map(String),
      ...(output === undefined
        ? outputColumns.map(() => '')
        : classes && chosen
          ? [
              classes[chosen.index]!,
              ...chosen.probabilities.map((p) => (format === 'csv' ? String(p) : p.toFixed(4))),
            ]
          : output.map(String)),
    ];
  });
  if (format === 'csv') {
    io.stdout.write(
      `${[header, ...lines].map((line) => line.map(csvCell).join(',')).join('\n')}\n`,
    );
  } else {
    io.stdout.write(`${table([header, ...lines])}\n`);
  }
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
