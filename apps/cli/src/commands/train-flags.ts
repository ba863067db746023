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

/** Early stopping by default: the epochs without a better validation loss before a run stops. */
export const defaultPatience = 50;
/** The share of the training rows held out for early stopping, by default. */
export const defaultValidationSplit = 0.2;
/** The fewest training rows that early stopping watches by default (the fifth held out is 10 rows). */
export const fewestToValidate = 50;

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
    .addOption(choice('--optimizer <name>', 'the update rule', Object.keys(optimizers), 'adam'))
    .option('--learning-rate <rate>', 'the step size', positiveNumber, 0.003)
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
      'passes over the training rows (at most: early stopping ends a run sooner)',
      wholeNumber(1),
      1000,
    )
    .addOption(
      choice('--regularization <kind>', 'a penalty on the weights', ['none', 'l1', 'l2'], 'none'),
    )
    .option('--regularization-rate <rate>', 'its strength', numberBetween(0, 1e6), 0)
    .option('--seed <seed>', 'seed of the data, split, starting weights and shuffles', '1')
    .option(
      '--split-seed <seed>',
      'a seed of its own for the split, so that runs with another --seed hold out the same rows; the test rows then stay out of the refit too, and test it',
    )
    .option(
      '--folds <k>',
      'cross-validation: deal the rows not held out for testing into k folds (each class alone), drawn by --split-seed',
      wholeNumber(2),
    )
    .option(
      '--fold <i>',
      'with --folds, the fold (1 to k) to score instead of the test rows, which are left out',
      wholeNumber(1),
    )
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
      `training rows held out for early stopping (default ${defaultValidationSplit} with --patience when ${fewestToValidate} rows or more are left to train on, else 0)`,
      numberBetween(0, 0.9),
    )
    .option(
      '--patience <epochs>',
      'stop once the validation loss has not improved for this many epochs, keeping the best weights (0: train every epoch)',
      wholeNumber(0),
      defaultPatience,
    )
    .option(
      '--no-refit',
      'save the network the held-out rows scored, instead of one trained again on every row for the epochs the held-out run kept',
    )
    .option(
      '--no-stratify',
      'split the rows regardless of their class (by default each class is split alone, so every part has its share)',
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
        'how the gradients are computed: a mini-batch at once (batched: the default for mini-batches of a network of 150+ parameters), one example at a time (compiled: the default otherwise), or the graph evaluated step by step (eager: slower); the same numbers',
        ['batched', 'compiled', 'eager'],
      ),
    )

    .option('-o, --output <file>', 'where to save the model', 'model.json')
    .option('-q, --quiet', 'no progress')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
By default a fifth of the rows (each class's fifth) is held out for testing and a fifth of the
rest for early stopping; once they have scored the network, it is trained again on every row for
as many epochs as early stopping kept, and that is the network saved (--no-refit keeps the first).

Examples:
  $ dendrite train iris.csv --target species
  $ dendrite train cancer.csv --target diagnosis --layers 32 --learning-rate 0.01
  $ dendrite train houses.csv --target price --patience 10 --epochs 500 --lr-schedule cosine
  $ dendrite train people.csv --target female --layers 2 --activation sigmoid --optimizer sgd --epochs 1000 --learning-rate 0.1 --patience 0
  $ dendrite train --dataset spiral --noise 10 --features x,y,sinX,sinY --layers 8,8 --learning-rate 0.01`,
    );
}
