// What \`dendrite train\` reads and checks before training: its options, its data, and the
// output layer and loss that fit the task.
import {
  activations,
  dataMemory,
  outputFor,
  type Activation,
  type Feature,
  type InitializerName,
  type LayerActivation,
  type LearningRateSchedule,
  type Loss,
  type OptimizerName,
  type Random,
  type Task,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { parseTable, type MissingPolicy } from '../csv.js';
import {
  checkFeatures,
  fromTable,
  lecture,
  playground,
  type datasetNames,
  type Labelled,
} from '../data.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import { checkMemory } from '../memory.js';
import { defaultValidationSplit, fewestToValidate } from './train-flags.js';

/** The options of \`dendrite train\`, as commander parses them. */
export interface TrainCommandOptions {
  dataset?: (typeof datasetNames)[number];
  samples?: number;
  noise: number;
  target?: string[];
  features?: string[];
  task?: Task['kind'];
  layers: number[];
  activation: string[];
  outputActivation?: LayerActivation;
  init: InitializerName;
  loss?: Loss;
  optimizer: OptimizerName;
  learningRate: number;
  lrSchedule: LearningRateSchedule['kind'];
  batchSize: number;
  epochs: number;
  regularization: 'none' | 'l1' | 'l2';
  regularizationRate: number;
  seed: string;
  splitSeed?: string;
  folds?: number;
  fold?: number;
  normalize?: boolean;
  testSplit?: number;
  validationSplit?: number;
  patience: number;
  refit: boolean;
  stratify: boolean;
  shuffle?: boolean;
  partialBatch: 'apply' | 'carry';
  engine?: 'batched' | 'compiled' | 'eager';
  delimiter?: string;
  header: boolean;
  missing: MissingPolicy;
  output: string;
  quiet?: boolean;
  json?: boolean;
}

/** The data to train on: a CSV file or a built-in data set, with its features and a fingerprint of a file's rows. */
export async function loadData(
  dataPath: string | undefined,
  options: TrainCommandOptions,
  random: Random,
  io: Io,
  program: Command,
): Promise<{ data: Labelled; source: string; features?: Feature[]; fingerprint?: string }> {
  if ((dataPath === undefined) === (options.dataset === undefined)) {
    throw new CliError('give a CSV file or --dataset <name>, one of the two', 2);
  }
  if (dataPath !== undefined) {
    const source = dataPath === '-' ? 'stdin' : dataPath;
    const data = readTable(await readText(dataPath, io), source, options);
    return { data, source, fingerprint: fingerprint(data) };
  }
  for (const [given, what] of [
    [options.target, '--target picks a CSV column; a built-in data set has its own'],
    [options.delimiter, '--delimiter is for a CSV file'],
  ] as const) {
    if (given !== undefined) throw new CliError(what, 2);
  }
  const name = options.dataset!;
  if (name === 'lecture') {
    if (options.features !== undefined) {
      throw new CliError(
        '--features does not apply to the lecture data set (its inputs are weight and height)',
        2,
      );
    }
    return { data: lecture(), source: "the lecture's data" };
  }
  const features = checkFeatures(options.features ?? ['x', 'y']);
  if (options.samples !== undefined) {
    const what = `${options.samples.toLocaleString('en')} ${name} points`;
    checkMemory(program, what, dataMemory(options.samples, 2 + features.length));
  }
  const data = playground(name, {
    noise: options.noise,
    random,
    ...(options.samples === undefined ? {} : { samples: options.samples }),
  });
  return { data, source: `Playground ${name} (noise ${options.noise})`, features };
}

/** A CSV file's labelled rows, read with the command's CSV and column options. */
export function readTable(
  text: string,
  source: string,
  options: {
    delimiter?: string;
    header: boolean;
    missing: MissingPolicy;
    target?: string[];
    features?: string[];
    task?: Task['kind'];
  },
): Labelled {
  const table = parseTable(text, source, {
    header: options.header,
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
  });
  return fromTable(table, {
    missing: options.missing,
    ...(options.target === undefined ? {} : { targets: options.target }),
    ...(options.features === undefined ? {} : { inputs: options.features }),
    ...(options.task === undefined ? {} : { task: options.task }),
  });
}

/** A short hash of a data set's rows, to tell later whether a file holds the same data. */
export function fingerprint(data: Labelled): string {
  const rows = JSON.stringify([data.inputNames, data.targetNames, data.inputs, data.labels]);
  return createHash('sha256').update(rows).digest('hex').slice(0, 16);
}

/** The hidden layers' activations from --activation: one for all, or one per layer. */
export function checkActivations(names: string[], hiddenLayers: number): Activation[] {
  for (const name of names) {
    if (!Object.hasOwn(activations, name)) {
      throw new CliError(
        `unknown activation "${name}"; use ${Object.keys(activations).join(', ')}`,
        2,
      );
    }
  }
  if (names.length === 1) return Array<Activation>(hiddenLayers).fill(names[0] as Activation);
  if (names.length !== hiddenLayers) {
    throw new CliError(
      `--activation lists ${names.length} activations for ${hiddenLayers} hidden layers`,
      2,
    );
  }
  return names as Activation[];
}

/**
 * The output layer and loss for the task: as `outputFor` suggests, or as --output-activation and
 * --loss say, refusing what does not fit (softmax for numbers, cross-entropy without classes).
 */
export function outputLayer(
  data: Labelled,
  chosen: { activation?: LayerActivation; loss?: Loss },
): { size: number; activation: LayerActivation; loss: Loss } {
  const { task } = data;
  const suggested = outputFor(task, data.targetNames.length);
  const activation = chosen.activation ?? suggested.activation;
  const classes = task.kind === 'classification' ? task.classes.length : 0;
  if (activation === 'softmax' && classes === 0) {
    throw new CliError('--output-activation softmax is for classes; this target is regression', 2);
  }
  const size = activation === 'softmax' ? classes : suggested.size;
  const loss =
    chosen.loss ??
    (activation === suggested.activation
      ? suggested.loss
      : activation === 'softmax'
        ? 'categoricalCrossEntropy'
        : 'mse');
  if (loss === 'binaryCrossEntropy' && !(classes === 2 && activation === 'sigmoid')) {
    throw new CliError('--loss binaryCrossEntropy needs two classes and a sigmoid output', 2);
  }
  if ((loss === 'categoricalCrossEntropy') !== (activation === 'softmax')) {
    throw new CliError(
      '--loss categoricalCrossEntropy goes with a softmax output (--output-activation softmax), and only with it',
      2,
    );
  }
  return { size, activation, loss };
}

/** The learning-rate schedule --lr-schedule names: step halves the rate every quarter of the epochs. */
export function scheduleFor(
  kind: LearningRateSchedule['kind'],
  epochs: number,
): LearningRateSchedule {
  return kind === 'step' ? { kind, every: Math.max(1, Math.round(epochs / 4)) } : { kind };
}

/** How a run holds rows out and what it saves, from the options and the data. */
export interface Protocol {
  testFraction: number;
  validationFraction: number;
  /** Epochs without a better validation loss before stopping; undefined: every epoch runs. */
  patience?: number;
  stratify: boolean;
  /** Train again on every row once the held-out ones have scored the network (never for a fold). */
  refit: boolean;
  /** Cross-validation: the fold scored in the test rows' place (see `ExperimentPlan.fold`). */
  fold?: { count: number; index: number };
}

/**
 * The run's protocol: a fifth of the rows held out for testing (none of the lecture's four), a
 * fifth of the rest for early stopping when enough are left to judge by, each class split alone,
 * and the network trained again on every row before it is saved; each option overrides its part.
 */
export function protocolFor(
  options: TrainCommandOptions,
  data: Labelled,
  command: Command,
): Protocol {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const testFraction = options.testSplit ?? (options.dataset === 'lecture' ? 0 : 0.2);
  if (given('patience') && options.patience > 0 && options.validationSplit === 0) {
    throw new CliError('--patience watches held-out rows: give a --validation-split above 0', 2);
  }
  if ((options.folds === undefined) !== (options.fold === undefined)) {
    throw new CliError(
      '--folds and --fold go together: --folds 5 --fold 1 scores the first of five folds',
      2,
    );
  }
  const { folds = 1, fold = 1 } = options;
  if (fold > folds) throw new CliError(`--fold ${fold} is not one of the ${folds} folds`, 2);
  const training = Math.floor((data.inputs.length * (1 - testFraction) * (folds - 1 || 1)) / folds);
  const validationFraction =
    options.validationSplit ??
    (options.patience > 0 && (given('patience') || training >= fewestToValidate)
      ? defaultValidationSplit
      : 0);
  const watching = options.patience > 0 && validationFraction > 0;
  return {
    testFraction,
    validationFraction,
    ...(watching ? { patience: options.patience } : {}),
    stratify: options.stratify && data.task.kind === 'classification',
    refit:
      options.refit && options.folds === undefined && (testFraction > 0 || validationFraction > 0),
    ...(options.folds === undefined ? {} : { fold: { count: folds, index: fold - 1 } }),
  };
}
