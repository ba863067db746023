import { Option, type Command } from 'commander';
import { numbers, parseTable } from '../csv.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import { inputColumns, predictRaw, readModel, type Model } from '../model.js';
import { names } from '../options.js';
import { json, table } from '../text.js';

interface PredictOptions {
  input?: string;
  features?: string[];
  format: 'table' | 'csv' | 'json';
  json?: boolean;
}

/** `dendrite predict`: a model's outputs for inputs from arguments, a CSV file or stdin. */
export function registerPredict(program: Command, io: Io): void {
  program
    .command('predict')
    .summary("a model's predictions for inputs from arguments, a CSV file or stdin")
    .description(
      "Prints a model's predictions. Give each input as an argument of comma-separated numbers" +
        " (in the order of the model's inputs), or a CSV file with a header row: the model picks" +
        ' its own input columns by name, or name them with --features. With neither, reads CSV from stdin.',
    )
    .argument('<model>', 'a dendrite model file (from dendrite train or dendrite playground)')
    .argument('[inputs...]', 'inputs such as -7,-3 (one per argument)')
    .option('-i, --input <file>', 'a CSV file with a header row ("-" for stdin)')
    .option('--features <columns>', 'the CSV columns to use as inputs, in order', names)
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
  $ dendrite predict model.json --input people.csv --format csv > predictions.csv
  $ cat people.csv | dendrite predict model.json --json`,
    )
    .action(async (modelPath: string, args: string[], options: PredictOptions) => {
      const model = await readModel(modelPath, io, program);
      let rows: number[][];
      let which = 'input';
      let inputNames = model.inputNames;
      if (args.length > 0) {
        if (options.input !== undefined) {
          throw new CliError('give inputs as arguments or with --input, not both', 2);
        }
        rows = args.map((arg, i) => parseRow(arg, i + 1, model));
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
        const data = parseTable(text, source === '-' ? 'stdin' : source);
        inputNames = inputColumns(model, data, options.features);
        rows = numbers(data, inputNames);
        which = 'row';
      }
      const outputs = rows.map((row, i) => predictRaw(model, row, `${which} ${i + 1}`));
      print(
        io,
        options.json ? 'json' : options.format,
        inputNames,
        outputNames(model),
        rows,
        outputs,
      );
    });
}

function parseRow(text: string, position: number, model: Model): number[] {
  const row = text.split(',').map((cell) => Number(cell.trim()));
  if (/^--?[a-z]/i.test(text)) throw new CliError(`unknown option ${text}`, 2);
  if (text.trim() === '' || row.some((x) => !Number.isFinite(x))) {
    throw new CliError(`input ${position} "${text}" is not comma-separated numbers`);
  }
  if (row.length !== model.rawWidth) {
    throw new CliError(
      `input ${position} has ${row.length} numbers; ${model.path} takes ${model.rawWidth} (${model.inputNames.join(', ')})`,
    );
  }
  return row;
}

function outputNames(model: Model): string[] {
  const count = model.network.outputSize;
  if (count === 1) return [model.targetName ?? 'prediction'];
  return Array.from({ length: count }, (_, i) => `o${i + 1}`);
}

function print(
  io: Io,
  format: 'table' | 'csv' | 'json',
  inputNames: string[],
  outputNames: string[],
  rows: number[][],
  outputs: number[][],
): void {
  if (format === 'json') {
    io.stdout.write(
      json({
        inputs: inputNames,
        outputs: outputNames,
        predictions: rows.map((input, i) => ({ input, output: outputs[i] })),
      }),
    );
    return;
  }
  const lines = rows.map((row, i) => [...row, ...outputs[i]!].map(String));
  const header = [...inputNames, ...outputNames];
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
