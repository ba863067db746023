import { losses, meanLossOf, type Loss } from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { parseTable } from '../csv.js';
import { fromTable, taskOf } from '../data.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import { inputColumns, predictRaw, readModel } from '../model.js';
import { names } from '../options.js';
import { fixed, json, percent, table } from '../text.js';

interface EvalOptions {
  target?: string;
  features?: string[];
  loss: Loss;
  json?: boolean;
}

/** `dendrite eval`: a model's loss and accuracy on a labelled CSV file, with a confusion matrix. */
export function registerEval(program: Command, io: Io): void {
  program
    .command('eval')
    .summary("a model's loss and accuracy on a labelled CSV file")
    .description(
      'Evaluates a model on a CSV file with a header row: the mean loss over its rows and, when the' +
        ' targets are two classes (0/1 or -1/1), the accuracy and the confusion matrix.',
    )
    .argument('<model>', 'a dendrite model file')
    .argument('<data>', 'a CSV file with a header row ("-" for stdin)')
    .option(
      '-t, --target <column>',
      "the column with the true values (default: the model's target, else the last)",
    )
    .option(
      '--features <columns>',
      "the input columns (default: the model's own input names)",
      names,
    )
    .addOption(
      new Option('--loss <loss>', 'the loss to report').choices(Object.keys(losses)).default('mse'),
    )
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite eval model.json test.csv
  $ dendrite eval model.json people.csv --target female --json`,
    )
    .action(async (modelPath: string, dataPath: string, options: EvalOptions) => {
      const model = await readModel(modelPath, io, program);
      const data = parseTable(await readText(dataPath, io), dataPath === '-' ? 'stdin' : dataPath);
      const target = options.target ?? model.targetName ?? data.columns[data.columns.length - 1]!;
      if (!data.columns.includes(target)) {
        const whose =
          options.target === undefined ? `, the target ${model.path} was trained on` : '';
        throw new CliError(
          `${dataPath} has no column "${target}"${whose} (its columns: ${data.columns.join(', ')}); name the true values' column with --target`,
        );
      }
      if (model.namedInputs && model.inputNames.includes(target)) {
        throw new CliError(
          `"${target}" is one of ${model.path}'s inputs, not what it predicts; name the true values' column with --target`,
        );
      }
      const labelled = fromTable(data, target, inputColumns(model, data, options.features, target));
      if (model.network.outputSize !== 1) {
        throw new CliError(
          `${model.path} has ${model.network.outputSize} outputs; eval scores one`,
        );
      }
      const predictions = labelled.inputs.map(
        (row, i) => predictRaw(model, row, `row ${i + 1}`)[0]!,
      );
      const loss = meanLossOf(predictions, labelled.targets, options.loss);
      const task = taskOf(labelled.targets);
      const report: Record<string, unknown> = {
        model: model.path,
        data: dataPath,
        examples: predictions.length,
        target,
        loss: { name: options.loss, value: loss },
      };
      if (task.kind === 'classification') {
        const [negative, positive] = task.classes;
        // matrix[actual][predicted], the negative class first.
        const matrix = [
          [0, 0],
          [0, 0],
        ];
        predictions.forEach((p, i) => {
          const actual = labelled.targets[i] === positive ? 1 : 0;
          matrix[actual]![p >= task.threshold ? 1 : 0]!++;
        });
        const accuracy = (matrix[0]![0]! + matrix[1]![1]!) / predictions.length;
        Object.assign(report, {
          classes: task.classes,
          threshold: task.threshold,
          accuracy,
          confusionMatrix: {
            rows: 'actual',
            columns: 'predicted',
            classes: [negative, positive],
            counts: matrix,
          },
        });
      }
      if (options.json) {
        io.stdout.write(json(report));
        return;
      }
      const lines = [
        `${model.path} on ${dataPath}: ${predictions.length} examples, target "${target}"`,
        `  ${options.loss} loss  ${fixed(loss, 6)}`,
      ];
      if (task.kind === 'classification') {
        const [negative, positive] = task.classes.map(String);
        const counts = (report.confusionMatrix as { counts: number[][] }).counts;
        lines.push(
          `  accuracy  ${percent(report.accuracy as number)} (output ≥ ${task.threshold} is ${positive})`,
          '',
          table([
            ['', `predicted ${negative}`, `predicted ${positive}`],
            [`actual ${negative}`, String(counts[0]![0]), String(counts[0]![1])],
            [`actual ${positive}`, String(counts[1]![0]), String(counts[1]![1])],
          ]),
        );
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
