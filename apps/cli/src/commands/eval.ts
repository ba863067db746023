import {
  lossNames,
  normalize,
  seededRandom,
  splitRows,
  taskMetrics,
  targetsOf,
  type Example,
  type Loss,
} from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { parseTable, type MissingPolicy } from '../csv.js';
import { fromTable, targetsFor, type Labelled } from '../data.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import {
  checkGapsFilled,
  inputColumns,
  predictRaw,
  prepared,
  readModel,
  type Model,
} from '../model.js';
import { addCsvOptions, names } from '../options.js';
import { classTables, isClassification, metricsLine } from '../report.js';
import { json } from '../text.js';
import { fingerprint } from './train-setup.js';

type Part = 'all' | 'train' | 'validation' | 'test';

interface EvalOptions {
  target?: string[];
  features?: string[];
  loss?: Loss;
  split?: Part;
  delimiter?: string;
  header: boolean;
  missing: MissingPolicy;
  json?: boolean;
}

/** The data file a model records it was trained on; a `CliError` that says to give one if it has none or it is gone. */
function trainingFile(model: Model): string {
  const file = model.details.split?.file;
  if (file === undefined) {
    throw new CliError(
      `${model.path} does not say which file it was trained on (trained from stdin or a built-in data set, or by an older dendrite): give the data, e.g. dendrite eval ${model.path} data.csv`,
      2,
    );
  }
  if (!existsSync(file)) {
    throw new CliError(
      `${model.path} was trained on ${file}, which is not there any more: give the data, e.g. dendrite eval ${model.path} data.csv`,
    );
  }
  return file;
}

/** `dendrite eval`: a model's loss and task metrics on a labelled CSV file, or on its held-out rows. */
export function registerEval(program: Command, io: Io): void {
  const command = program
    .command('eval')
    .summary("a model's loss and metrics on a labelled CSV file, or on the rows it held out")
    .description(
      "Evaluates a model on a CSV file: its own loss, and its task's metrics (accuracy, per-class" +
        ' precision, recall and F1, macro-F1, a confusion matrix and, for two classes, the ROC AUC;' +
        ' or MSE, RMSE, MAE and R² for regression). Given the very data the model was trained on,' +
        ' it scores only the rows held out for testing (reproduced from the split the model records),' +
        ' so that training rows never slip into an evaluation; --split picks another part.',
    )
    .argument('<model>', 'a dendrite model file')
    .argument(
      '[data]',
      'a CSV file ("-" for stdin; default: the file the model was trained on, as its model file records it)',
    )
    .option(
      '-t, --target <columns>',
      "the column(s) with the true values (default: the model's targets, else the last)",
      names,
    )
    .option(
      '--features <columns>',
      "the input columns (default: the model's own input names)",
      names,
    )
    .addOption(
      new Option('--loss <loss>', "the loss to report (default: the model's own)").choices(
        lossNames,
      ),
    )
    .addOption(
      new Option(
        '--split <part>',
        "the rows to score: all, or the model's train, validation or test rows (default: test for its own training data, else all)",
      ).choices(['all', 'train', 'validation', 'test']),
    );
  addCsvOptions(command, 'drop the row (as in training)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite eval iris.json                            the rows it held out, from the file it was trained on
  $ dendrite eval iris.json iris.csv                   the same, from that file given again
  $ dendrite eval iris.json new-flowers.csv
  $ dendrite eval model.json people.csv --split all --target female --json`,
    )
    .action(async (modelPath: string, given: string | undefined, options: EvalOptions) => {
      const model = await readModel(modelPath, io, program);
      const dataPath = given ?? trainingFile(model);
      const source = dataPath === '-' ? 'stdin' : dataPath;
      const table = parseTable(await readText(dataPath, io), source, {
        header: options.header,
        ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
      });
      const targets = options.target ?? model.targetNames ?? [table.columns.at(-1)!];
      for (const target of targets) {
        if (!table.columns.includes(target)) {
          const whose =
            options.target === undefined ? `, the target ${model.path} was trained on` : '';
          throw new CliError(
            `${source} has no column "${target}"${whose} (its columns: ${table.columns.join(', ')}); name the true values' column with --target`,
          );
        }
        if (model.namedInputs && model.inputNames.includes(target)) {
          throw new CliError(
            `"${target}" is one of ${model.path}'s inputs, not what it predicts; name the true values' column with --target`,
          );
        }
      }
      const inputs = inputColumns(model, table, options.features, targets);
      checkGapsFilled(model, options.missing);
      const data = fromTable(table, {
        targets,
        inputs,
        task: model.task,
        missing: options.missing,
        categories: model.preprocessing.categories ?? inputs.map(() => null),
      });
      const { part, rows, note } = chooseRows(model, data, options.split, source);
      const examples = examplesOf(model, data, rows);
      const loss = options.loss ?? model.details.loss ?? 'mse';
      const scaling = model.preprocessing.targets;
      const metrics = taskMetrics(model.network, examples, {
        task: model.task,
        loss,
        ...(scaling === undefined ? {} : { targetScaling: scaling }),
      });
      if (note !== undefined) io.stderr.write(`dendrite: note: ${note}\n`);
      if (options.json) {
        io.stdout.write(
          json({
            model: model.path,
            data: dataPath,
            split: part,
            examples: rows.length,
            targets,
            task: model.task,
            loss,
            metrics,
          }),
        );
        return;
      }
      const which = part === 'all' ? 'all rows' : `its ${part} rows`;
      const lines = [
        `${model.path} on ${source}, ${which}: ${rows.length} of ${data.inputs.length} rows, target ${targets.join(', ')}`,
        `  ${metricsLine(metrics, loss)}`,
      ];
      if (isClassification(metrics)) lines.push('', ...classTables(metrics));
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}

/**
 * The rows to score: the part asked for, found again from the model's recorded split; by default
 * the test rows when the data is what the model was trained on, else all of it.
 */
function chooseRows(
  model: Model,
  data: Labelled,
  asked: Part | undefined,
  source: string,
): { part: Part; rows: number[]; note?: string } {
  const all = data.inputs.map((_, i) => i);
  const { split } = model.details;
  const same =
    split?.fingerprint !== undefined &&
    split.rows === all.length &&
    split.fingerprint === fingerprint(data);
  // (a refit with a split seed of its own left the test rows out, so they still test it)
  const heldOut = (p: Part) => split?.refit !== true || (p === 'test' && split.keepsTest === true);
  const part =
    asked ??
    (same && split.testFraction > 0 && split.fold === undefined && heldOut('test')
      ? 'test'
      : 'all');
  if (part === 'all') {
    const note = !same
      ? undefined
      : split.refit === true && split.keepsTest !== true
        ? `${model.path} was trained on all these rows (its scores on rows held out before it was trained again on every row are in dendrite inspect)`
        : `these rows include the ones ${model.path} was trained on; --split test scores only the held-out rows`;
    return note === undefined ? { part, rows: all } : { part, rows: all, note };
  }
  if (split?.fingerprint === undefined) {
    throw new CliError(
      `${model.path} records no split of a CSV file (an older model file, or one trained on a built-in data set); use --split all`,
    );
  }
  if (!same) {
    throw new CliError(
      `--split ${part} needs the data ${model.path} was trained on (${split.rows} rows), but ${source} holds other rows (${all.length}); give the same file, with the same --missing, or use --split all`,
    );
  }
  if (split.fold !== undefined) {
    throw new CliError(
      `${model.path} is a cross-validation run's (fold ${split.fold.index + 1} of ${split.fold.count}): its fold's scores are in dendrite inspect; use --split all`,
    );
  }
  if (!heldOut(part)) {
    throw new CliError(
      `${model.path} was trained again on every row of ${source} after its ${part} rows had scored it, so none is held out from it now: score it on other data, or with --split all on these rows (its held-out scores are in dendrite inspect); --no-refit keeps a model apart from its test rows`,
    );
  }
  const parts = splitRows(all, seededRandom(split.seed), {
    shuffle: split.shuffle,
    trainFraction: 1 - split.testFraction,
    validationFraction: split.validationFraction,
    ...(split.stratified === true ? { stratum: classOf(model, data) } : {}),
  });
  if (parts[part].length === 0) throw new CliError(`${model.path} held out no ${part} rows`);
  return { part, rows: parts[part] };
}

/** Each row's class, as training grouped the rows to split each class alone (by its target). */
function classOf(model: Model, data: Labelled): (row: number) => string {
  const { network } = model;
  const targets = targetsFor(data, network.outputSize, network.activations.at(-1)!);
  return (row) => String(targets[row]);
}

/** The chosen rows as the network sees them: preprocessed inputs, targets as it learned them. */
function examplesOf(model: Model, data: Labelled, rows: readonly number[]): Example[] {
  const { network, preprocessing } = model;
  const targets = targetsFor(data, network.outputSize, network.activations.at(-1)!);
  // A prediction that is not finite is an error here.
  predictRaw(
    model,
    rows.map((i) => data.inputs[i]!),
    (k) => data.where[rows[k]!]!,
  );
  return rows.map((i) => {
    const input = prepared(model, data.inputs[i]!, data.where[i]!);
    const target = preprocessing.targets
      ? normalize(targetsOf({ input, target: targets[i]! }), preprocessing.targets)
      : targets[i]!;
    return { input, target };
  });
}
