import { initializers, layerActivations, lossNames, optimizers } from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { datasetNames } from '../data.js';
import {
  addCsvOptions,
  layerSizes,
  names,
  numberBetween,
  positiveNumber,
  wholeNumber,
} from '../options.js';

/** An option whose value is one of `values`. */
function choice(flags: string, description: string, values: readonly string[], fallback?: string) {
  const option = new Option(flags, description).choices(values);
  return fallback === undefined ? option : option.default(fallback);
}

/** Adds the arguments, options and help examples of \`dendrite train\` to its command. */
export function addTrainOptions(command: Command): Command {
  return addCsvOptions(command, 'drop the row (the count is printed)')
    .argument('[data]', 'a CSV file ("-" for stdin)')
    .addOption(
      choice('-d, --dataset <name>', 'a built-in data set instead of a file', datasetNames),
    )
    .option(
      '--samples <n>',
      'points to generate (Playground data sets; default 500, or 1200 for reg-*)',
      wholeNumber(1),
    )
    .option(
      '--noise <percent>',
      'noise of a Playground data set, 0–50 as on its page',
      numberBetween(0, 50),
      0,
    )
    .option(
      '-t, --target <columns>',
      'the CSV column to predict, or one-hot/numeric columns a,b,c (default: the last)',
      names,
    )
    .option(
      '--features <names>',
      'the input CSV columns, or Playground features such as x,y,xSquared',
      names,
    )
    .addOption(
      choice('--task <task>', 'override the task guessed from the target', [
        'classification',
        'regression',
      ]),
    )
    .option(
      '--layers <sizes>',
      'hidden layer sizes, e.g. 16 or 4,2 ("" for none)',
      layerSizes,
      [16],
    )
    .option(
      '--activation <names>',
      'hidden activation, or one per hidden layer: sigmoid, tanh, relu, linear',
      names,
      ['tanh'],
    )
    .addOption(
      choice(
        '--output-activation <name>',
        'output activation (default: sigmoid for two classes, softmax for more, linear for regression)',
        layerActivations,
      ),
    )
    .addOption(choice('--init <name>', 'how weights start', Object.keys(initializers), 'xavier'))
    .addOption(
      choice(
        '--loss <name>',
        'the loss to minimise (default: the one that fits the output)',
        lossNames,
      ),
    )
    .addOption(choice('--optimizer <name>', 'the update rule', Object.keys(optimizers), 'sgd'))
    .option('--learning-rate <rate>', 'the step size', positiveNumber, 0.03)
    .addOption(
      choice(
        '--lr-schedule <kind>',
        'how the rate changes: constant, step (halved every quarter of the epochs), linear or cosine (down to 0)',
        ['constant', 'step', 'linear', 'cosine'],
        'constant',
      ),
    )
    .option('--batch-size <n>', 'examples per update', wholeNumber(1), 10)
    .option(
      '--epochs <n>',
      'passes over the training rows (at most, with --patience)',
      wholeNumber(1),
      100,
    )
    .addOption(
      choice('--regularization <kind>', 'a penalty on the weights', ['none', 'l1', 'l2'], 'none'),
    )
    .option('--regularization-rate <rate>', 'its strength', numberBetween(0, 1e6), 0)
    .option('--seed <seed>', 'seed of the data, split, starting weights and shuffles', '1')
    .option(
      '--normalize',
      'shift and scale inputs (and regression targets) by their training mean and spread (default for CSV files)',
    )
    .option('--no-normalize', 'train on the numbers as they are')
    .option(
      '--test-split <fraction>',
      'rows held out for testing (default 0.2; 0 for the lecture)',
      numberBetween(0, 0.95),
    )
    .option(
      '--validation-split <fraction>',
      'training rows held out to watch for --patience (default 0.1 with --patience, else 0)',
      numberBetween(0, 0.9),
    )
    .option(
      '--patience <epochs>',
      'stop once the validation loss has not improved for this many epochs, keeping the best weights',
      wholeNumber(1),
    )
    .option('--shuffle', 'shuffle the training rows every epoch')
    .addOption(
      choice(
        '--partial-batch <what>',
        "a last batch smaller than --batch-size: apply it, or carry it into the next epoch (the Playground's way)",
        ['apply', 'carry'],
        'apply',
      ),
    )
    .addOption(
      choice(
        '--engine <engine>',
        'compiled code, or the graph evaluated step by step (slower; the same numbers)',
        ['compiled', 'eager'],
        'compiled',
      ),
    )

    .option('-o, --output <file>', 'where to save the model', 'model.json')
    .option('-q, --quiet', 'no progress')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite train iris.csv --target species
  $ dendrite train cancer.csv --target diagnosis --layers 16 --optimizer adam --learning-rate 0.01
  $ dendrite train houses.csv --target price --patience 10 --epochs 500 --lr-schedule cosine
  $ dendrite train people.csv --target female --layers 2 --activation sigmoid --epochs 1000 --learning-rate 0.1
  $ dendrite train --dataset spiral --noise 10 --features x,y,sinX,sinY --layers 8,8 --optimizer adam`,
    );
}
