import type { Activation, LayerActivation } from './activations.js';
import type { Categories } from './categories.js';
import {
  checkTrainFraction,
  fitNormalization,
  normalize,
  split,
  targetsOf,
  type Example,
  type Feature,
} from './data.js';
import type { Initializer, InitializerName } from './init.js';
import type { ModelDetails, ModelNames, Preprocessing } from './model-file.js';
import { fitImputation, saveModel, scaleInput } from './model.js';
import { NeuralNetworkError } from './errors.js';
import { Network } from './network.js';
import { shuffle, type Random } from './random.js';
import { train } from './train.js';
import type { TrainOptions, TrainResult } from './train-options.js';

/**
 * One description of an experiment, from the data to how it trains: the one pipeline behind
 * `dendrite train`, the Playground replay and the Playground page.
 */
export interface ExperimentPlan {
  /** The raw examples (inputs before any feature), in order. */
  data: readonly Example[];
  /** The stream that shuffles the data and then draws the network's starting weights, in that order. */
  random: Random;
  /**
   * A stream of its own for shuffling and splitting the data, so that runs whose `random` differs
   * (other starting weights) hold out the same rows. Its test rows then stay out of the refit too.
   */
  splitRandom?: Random;
  /**
   * Cross-validation: the rows not held out for testing are dealt into `count` folds (each
   * stratum alone when stratified), and fold `index` (from 0) is scored in the test rows' place;
   * the test rows themselves are left out. Validation rows come from the other folds.
   */
  fold?: { count: number; index: number };
  /** Shuffle the data before splitting it (default true). */
  shuffle?: boolean;
  /** The fraction of the data to train on; the rest is the test set (default 1: all of it). */
  trainFraction?: number;
  /**
   * The fraction of the training rows (the last ones, after the shuffle) held out to validate on
   * after each epoch, for early stopping; they are not trained on (default 0).
   */
  validationFraction?: number;
  /**
   * Split each class alone (the examples grouped by target), so that training, validation and
   * test rows each have their share of every class (default false).
   */
  stratify?: boolean;
  /**
   * The categories of the raw columns, when the data's inputs are them one-hot already: recorded
   * in the model's preprocessing, so that its predictions encode raw values the same way.
   */
  categories?: Categories;
  /** The Playground features to compute from each (x, y) input, if any. */
  features?: readonly Feature[];
  /**
   * Fill a missing input (NaN) with the training examples' mean of it, recorded in the model as
   * `preprocessing.imputation` (default false: a missing input is not filled).
   */
  impute?: boolean;
  /** Shift and scale the inputs by the training examples' mean and spread (default false). */
  normalize?: boolean;
  /**
   * Shift and scale the targets the same way, for regression (default false); the scaling is
   * recorded with the model and undone on its predictions.
   */
  scaleTargets?: boolean;
  /** The hidden layers' sizes: the network takes the prepared inputs and gives `outputSize` outputs. */
  hidden: readonly number[];
  /** How many outputs (default: as many as each example's target has numbers). */
  outputSize?: number;
  /** The hidden layers' activation, or one per hidden layer. */
  activation: Activation | readonly Activation[];
  outputActivation: LayerActivation;
  init?: InitializerName | Initializer;
  /** Sum each neuron's bias first, as the Playground does (see `NetworkOptions`). */
  biasFirst?: boolean;
  /** How to train it; the test examples and the stream are filled in from the plan. */
  training: Omit<TrainOptions, 'epochs' | 'test' | 'random'>;
}

/** An experiment ready to train: its split, its prepared examples, its network and its options. */
export interface Experiment {
  /** The raw examples after the shuffle and the split. */
  points: { train: Example[]; validation: Example[]; test: Example[] };
  /** What is done to a raw input: the features, then the normalization fitted to the training examples. */
  preprocessing: Preprocessing;
  /** The examples as the network sees them. */
  train: Example[];
  validation: Example[];
  test: Example[];
  network: Network;
  /** `train` options with the validation and test examples and the stream (`epochs` is yours to add). */
  trainOptions: Omit<TrainOptions, 'epochs'>;
  /** The model file of the network as it is now, with its preprocessing, these names and details. */
  modelFile(names?: ModelNames, details?: ModelDetails): string;
}

/** The shape of the network an experiment builds, known before anything is built. */
export function experimentShape(plan: ExperimentPlan): number[] {
  const inputSize = plan.features?.length ?? plan.data[0]?.input.length ?? 0;
  const first = plan.data[0];
  return [inputSize, ...plan.hidden, plan.outputSize ?? (first ? targetsOf(first).length : 1)];
}

/**
 * The rows of a data set split as an experiment splits them: shuffled by `random` (unless
 * `shuffle` is false), the test rows last, the validation rows last among the rest. With
 * `stratum`, each stratum's rows (a class's, say) are split alone, its held-out counts rounded,
 * so that every part has its share of every stratum; each part keeps the shuffled order.
 */
export function splitRows<T>(
  rows: readonly T[],
  random: Random,
  {
    shuffle: shuffled = true,
    trainFraction = 1,
    validationFraction = 0,
    stratum,
  }: {
    shuffle?: boolean;
    trainFraction?: number;
    validationFraction?: number;
    stratum?: (row: T) => string;
  },
): { train: T[]; validation: T[]; test: T[] } {
  const order = [...rows];
  if (shuffled) shuffle(order, random);
  if (stratum === undefined) {
    const { train: kept, test } = split(order, trainFraction);
    if (validationFraction === 0) return { train: kept, validation: [], test };
    const { train, test: validation } = split(kept, 1 - validationFraction);
    return { train, validation, test };
  }
  checkTrainFraction(trainFraction);
  const strata = new Map<string, number[]>();
  order.forEach((row, i) => {
    const key = stratum(row);
    const members = strata.get(key);
    if (members === undefined) strata.set(key, [i]);
    else members.push(i);
  });
  const parts = new Uint8Array(order.length); // 0 train, 1 validation, 2 test
  for (const members of strata.values()) {
    const tested = Math.round(members.length * (1 - trainFraction));
    const validated = Math.round((members.length - tested) * validationFraction);
    const trained = members.length - tested - validated;
    members.forEach((i, k) => (parts[i] = k < trained ? 0 : k < trained + validated ? 1 : 2));
  }
  const part = (p: number) => order.filter((_, i) => parts[i] === p);
  return { train: part(0), validation: part(1), test: part(2) };
}

/**
 * Prepares an experiment as its plan says: shuffles the data, splits it, computes the features,
 * fits the normalization to the training examples, then builds the network from the same stream.
 */
export function prepareExperiment(plan: ExperimentPlan): Experiment {
  return prepareParts(plan, pointsOf(plan));
}

/** The raw rows of each part, as the plan splits them (see `ExperimentPlan.fold`). */
function pointsOf(plan: ExperimentPlan): Experiment['points'] {
  const random = plan.splitRandom ?? plan.random;
  const byTarget = (example: Example) => targetsOf(example).join(',');
  const stratum = plan.stratify ? { stratum: byTarget } : {};
  if (plan.fold === undefined) return splitRows(plan.data, random, { ...plan, ...stratum });
  const { count, index } = plan.fold;
  const rest = splitRows(plan.data, random, { ...plan, validationFraction: 0, ...stratum }).train;
  const folds = dealFolds(rest, count, plan.stratify ? byTarget : () => '');
  const kept = rest.filter((_, i) => folds[i] !== index);
  const parts = splitRows(kept, random, { ...plan, shuffle: false, trainFraction: 1, ...stratum });
  return { ...parts, test: rest.filter((_, i) => folds[i] === index) };
}

/**
 * Each row's fold, from 0 to `count` − 1: each stratum's rows are dealt round in turn, so every
 * fold gets its share of every stratum and the folds' sizes differ by at most one per stratum.
 */
export function dealFolds<T>(
  rows: readonly T[],
  count: number,
  stratum: (row: T) => string,
): number[] {
  if (!(Number.isInteger(count) && count >= 2 && count <= rows.length)) {
    throw new NeuralNetworkError(`cannot deal ${rows.length} rows into ${count} folds`);
  }
  const dealt = new Map<string, number>();
  let next = 0; // (a new stratum starts at the fold after the last row dealt, to even out sizes)
  return rows.map((row) => {
    const key = stratum(row);
    const turn = dealt.get(key) ?? next;
    dealt.set(key, turn + 1);
    next = (turn + 1) % count;
    return turn % count;
  });
}

/** An experiment from rows already split: its features, normalization and network. */
function prepareParts(plan: ExperimentPlan, points: Experiment['points']): Experiment {
  const preprocessing: Preprocessing = {};
  if (plan.categories !== undefined) preprocessing.categories = structuredClone(plan.categories);
  if (plan.impute) preprocessing.imputation = fitImputation(points.train.map((e) => e.input));
  if (plan.features !== undefined) preprocessing.features = [...plan.features];
  if (plan.normalize) {
    const inputs = points.train.map((e) => scaleInput(e.input, preprocessing));
    preprocessing.normalization = fitNormalization(inputs);
  }
  if (plan.scaleTargets) {
    preprocessing.targets = fitNormalization(points.train.map((e) => [...targetsOf(e)]));
  }
  const scaling = preprocessing.targets;
  const prepare = (examples: readonly Example[]) =>
    examples.map((example) => ({
      input: scaleInput(example.input, preprocessing),
      target: scaling === undefined ? example.target : normalize(targetsOf(example), scaling),
    }));
  const [train, validation, test] = [
    prepare(points.train),
    prepare(points.validation),
    prepare(points.test),
  ];
  const given = plan.activation;
  const hiddenActivations = typeof given === 'string' ? plan.hidden.map(() => given) : [...given];
  const network = new Network(experimentShape(plan), {
    activation: [...hiddenActivations, plan.outputActivation],
    random: plan.random,
    ...(plan.init === undefined ? {} : { init: plan.init }),
    ...(plan.biasFirst === undefined ? {} : { biasFirst: plan.biasFirst }),
  });
  return {
    points,
    preprocessing,
    train,
    validation,
    test,
    network,
    trainOptions: {
      ...plan.training,
      test,
      ...(validation.length > 0 ? { validation } : {}),
      random: plan.random,
    },
    modelFile: (names, details) => saveModel(network, preprocessing, names, details),
  };
}

/**
 * The experiment again on every row of its plan, training, validation and test rows alike (in
 * the shuffled order): a fresh network from the plan's stream, its normalization fitted to all of
 * them, trained for `epochs` with the plan's settings and nothing held out. What to keep once the
 * held-out rows have told how well the plan does and for how many epochs (with early stopping,
 * the best epoch's count): on a small table, every row it leaves out costs accuracy. With a
 * `splitRandom`, the test rows stay out and test the new network.
 */
export function refitExperiment(
  plan: ExperimentPlan,
  { points }: Experiment,
  { epochs, onEpoch }: { epochs: number; onEpoch?: TrainOptions['onEpoch'] },
): { experiment: Experiment; history: TrainResult } {
  // With a split stream of its own, the test rows are the same for every run and stay unseen.
  const keepTest = plan.splitRandom !== undefined;
  const all = prepareParts(plan, {
    train: [...points.train, ...points.validation, ...(keepTest ? [] : points.test)],
    validation: [],
    test: keepTest ? points.test : [],
  });
  const history = train(all.network, all.train, {
    ...all.trainOptions,
    patience: undefined, // (nothing is held out to watch)
    epochs,
    ...(onEpoch === undefined ? {} : { onEpoch }),
  });
  return { experiment: all, history };
}
