// What \`dendrite train\` reads and checks before training: its options, its data, and the
// activations and loss that fit the task.
import {
  activations,
  dataMemory,
  type Activation,
  type Feature,
  type InitializerName,
  type Loss,
  type OptimizerName,
  type Random,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { parseTable } from '../csv.js';
import type { datasetNames } from '../data.js';
import {
  checkFeatures,
  fromTable,
  lecture,
  playground,
  type Labelled,
  type Task,
} from '../data.js';
import { CliError } from '../errors.js';
import { readText, type Io } from '../io.js';
import { checkMemory } from '../memory.js';

/** The options of \`dendrite train\`, as commander parses them. */
export interface TrainCommandOptions {
  dataset?: (typeof datasetNames)[number];
  samples?: number;
  noise: number;
  target?: string;
  features?: string[];
  layers: number[];
  activation: string[];
  outputActivation?: Activation;
  init: InitializerName;
  loss: Loss;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  regularization: 'none' | 'l1' | 'l2';
  regularizationRate: number;
  seed: string;
  normalize?: boolean;
  testSplit?: number;
  shuffle?: boolean;
  partialBatch: 'apply' | 'carry';
  engine: 'compiled' | 'eager';
  output: string;
  quiet?: boolean;
  json?: boolean;
}

/** The data to train on: a CSV file or a built-in data set, with its features. */
export async function loadData(
  dataPath: string | undefined,
  options: TrainCommandOptions,
  random: Random,
  io: Io,
  program: Command,
): Promise<{ data: Labelled; source: string; features?: Feature[] }> {
  if ((dataPath === undefined) === (options.dataset === undefined)) {
    throw new CliError('give a CSV file or --dataset <name>, one of the two', 2);
  }
  if (dataPath !== undefined) {
    const source = dataPath === '-' ? 'stdin' : dataPath;
    const table = parseTable(await readText(dataPath, io), source);
    return { data: fromTable(table, options.target, options.features), source };
  }
  if (options.target !== undefined)
    throw new CliError('--target picks a CSV column; a built-in data set has its own', 2);
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
  return {
    data,
    source: `Playground ${name} (noise ${options.noise})`,
    features,
  };
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

/** The output activation that fits the task. */
export function defaultOutput(task: Task): Activation {
  if (task.kind === 'regression') return 'linear';
  return task.classes[0] === 0 ? 'sigmoid' : 'tanh';
}

/** Refuses a loss that does not fit the task and the output activation. */
export function checkLoss(loss: Loss, task: Task, output: Activation): void {
  if (loss !== 'binaryCrossEntropy') return;
  if (task.kind !== 'classification' || task.classes[0] !== 0 || output !== 'sigmoid') {
    throw new CliError('--loss binaryCrossEntropy needs 0/1 targets and a sigmoid output', 2);
  }
}
