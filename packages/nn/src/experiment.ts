import type { Activation } from './activations.js';
import { fitNormalization, split, type Example, type Feature } from './data.js';
import type { Initializer, InitializerName } from './init.js';
import { preprocess, saveModel, type ModelNames, type Preprocessing } from './model.js';
import { Network } from './network.js';
import { shuffle, type Random } from './random.js';
import type { TrainOptions } from './train-options.js';

/**
 * One description of an experiment, from the data to how it trains: the one pipeline behind
 * `dendrite train`, the Playground replay and the Playground page.
 */
export interface ExperimentPlan {
  /** The raw examples (inputs before any feature), in order. */
  data: readonly Example[];
  /** The stream that shuffles the data and then draws the network's starting weights, in that order. */
  random: Random;
  /** Shuffle the data before splitting it (default true). */
  shuffle?: boolean;
  /** The fraction of the data to train on; the rest is the test set (default 1: all of it). */
  trainFraction?: number;
  /** The Playground features to compute from each (x, y) input, if any. */
  features?: readonly Feature[];
  /** Shift and scale the inputs by the training examples' mean and spread (default false). */
  normalize?: boolean;
  /** The hidden layers' sizes: the network takes the prepared inputs and gives one output. */
  hidden: readonly number[];
  /** The hidden layers' activation, or one per hidden layer. */
  activation: Activation | readonly Activation[];
  outputActivation: Activation;
  init?: InitializerName | Initializer;
  /** Sum each neuron's bias first, as the Playground does (see `NetworkOptions`). */
  biasFirst?: boolean;
  /** How to train it; the test examples and the stream are filled in from the plan. */
  training: Omit<TrainOptions, 'epochs' | 'test' | 'random'>;
}

/** An experiment ready to train: its split, its prepared examples, its network and its options. */
export interface Experiment {
  /** The raw examples after the shuffle and the split. */
  points: { train: Example[]; test: Example[] };
  /** What is done to a raw input: the features, then the normalization fitted to the training examples. */
  preprocessing: Preprocessing;
  /** The examples as the network sees them. */
  train: Example[];
  test: Example[];
  network: Network;
  /** `train` options with the test examples and the stream (`epochs` is yours to add). */
  trainOptions: Omit<TrainOptions, 'epochs'>;
  /** The model file of the network as it is now, with its preprocessing and these names. */
  modelFile(names?: ModelNames): string;
}

/** The shape of the network an experiment builds, known before anything is built. */
export function experimentShape(plan: ExperimentPlan): number[] {
  const inputSize = plan.features?.length ?? plan.data[0]?.input.length ?? 0;
  return [inputSize, ...plan.hidden, 1];
}

/**
 * Prepares an experiment as its plan says: shuffles the data, splits it, computes the features,
 * fits the normalization to the training examples, then builds the network from the same stream.
 */
export function prepareExperiment(plan: ExperimentPlan): Experiment {
  const rows = [...plan.data];
  if (plan.shuffle ?? true) shuffle(rows, plan.random);
  const points = split(rows, plan.trainFraction ?? 1);
  const preprocessing: Preprocessing = {};
  if (plan.features !== undefined) preprocessing.features = [...plan.features];
  if (plan.normalize) {
    const inputs = points.train.map((e) => preprocess(e.input, preprocessing));
    preprocessing.normalization = fitNormalization(inputs);
  }
  const prepare = (examples: readonly Example[]) =>
    examples.map(({ input, target }) => ({ input: preprocess(input, preprocessing), target }));
  const [train, test] = [prepare(points.train), prepare(points.test)];
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
    test,
    network,
    trainOptions: { ...plan.training, test, random: plan.random },
    modelFile: (names) => saveModel(network, preprocessing, names),
  };
}
