import { targetsOf, type Example } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { lossNames, type Loss } from './losses.js';
import type { Network } from './network.js';
import { gainsFromBatches } from './batching.js';
import { optimizers, type Optimizer, type OptimizerName } from './optimizers.js';
import type { Random } from './random.js';

/** A penalty on the weights (not the biases), as the Playground applies it after each update. */
export interface Regularization {
  kind: 'l1' | 'l2';
  rate: number;
}

/** What `onEpoch` is told after each pass over the data. */
export interface EpochReport {
  /** The epoch just finished, counting from 0 as the lecture does. */
  epoch: number;
  /** How many epochs the run has (absent for a `trainer`, which runs until you stop). */
  epochs?: number;
  trainLoss: number;
  validationLoss?: number;
  testLoss?: number;
  /** The learning rate this epoch's updates used. */
  learningRate: number;
}

/**
 * How the learning rate changes over the epochs, from the rate given at the start:
 * - `constant`: it stays (the default).
 * - `step`: multiplied by `factor` (default 0.5) every `every` epochs.
 * - `linear`: falls in a straight line, to `end` (default 0) times the rate after the last epoch.
 * - `cosine`: falls along half a cosine wave, to `end` (default 0) times the rate after the last epoch.
 */
export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; factor?: number }
  | { kind: 'linear'; end?: number }
  | { kind: 'cosine'; end?: number };

/** What `onStep` is told after each example (and after the update it completed, if any). */
export interface StepReport {
  epoch: number;
  /** The example's position in this epoch. */
  step: number;
  /** That example's loss, before the update it contributes to. */
  loss: number;
}

/** How to train. */
export interface TrainOptions {
  /** Passes over the examples. */
  epochs: number;
  learningRate: number;
  /** Examples per update, whose gradients are averaged (default 1: the lecture's per-sample SGD). */
  batchSize?: number;
  /** Default `'mse'`, the lecture's. */
  loss?: Loss;
  /** Default `'sgd'`; or an optimizer object such as `adam({ beta1: 0.8 })`. */
  optimizer?: OptimizerName | Optimizer;
  regularization?: Regularization;
  /** Examples to report the loss on after each epoch; they are never trained on. */
  test?: readonly Example[];
  /** Examples to validate on after each epoch, for `patience`; never trained on. */
  validation?: readonly Example[];
  /**
   * Stop early once the validation loss has not improved for this many epochs, and put back the
   * weights of the best epoch (needs `validation`; default: train for every epoch).
   */
  patience?: number;
  /** How the learning rate changes from epoch to epoch (default constant). */
  schedule?: LearningRateSchedule;
  /** Shuffle the examples every epoch (default false: fixed order, as the lecture and the Playground). */
  shuffle?: boolean;
  /** The stream for shuffling; or a `seed` for one (default seed 1). */
  random?: Random;
  seed?: string | number;
  /**
   * A last batch smaller than `batchSize`: `'apply'` it at the end of the epoch (default), or
   * `'carry'` its gradients into the next epoch, as the Playground does: batches end at the same
   * positions every epoch, so the first update of the next epoch averages over the carried
   * examples and a full batch.
   */
  partialBatch?: 'apply' | 'carry';
  /**
   * `'compiled'`: the loss is compiled once onto a tape over typed arrays, run forward and swept
   * backwards for its gradients (written out as one function for a small network). `'batched'`:
   * that tape run for a whole mini-batch at once, each weight read once per batch (see
   * `CompiledGradients.batched`), with the very same numbers. `'eager'`: each step evaluates the
   * loss graph and backpropagates, the same numbers to round-off. Default: `'batched'` for
   * mini-batches (`batchSize` above 1) of a network large enough to gain from it, else
   * `'compiled'`; `trainer(…).engine` says which.
   */
  engine?: 'compiled' | 'batched' | 'eager';
  /**
   * Throw a `NeuralNetworkError` as soon as a loss or a gradient is not finite (default true);
   * `false` trains on through NaN and infinities as the Playground does (compiled engine only).
   */
  stopOnNonFinite?: boolean;
  onEpoch?: (report: EpochReport) => void;
  onStep?: (report: StepReport) => void;
}

/** The loss after every epoch, on the training examples and (if given) the validation and test examples. */
export interface TrainResult {
  trainLoss: number[];
  validationLoss: number[];
  testLoss: number[];
  /** With `patience`: the epoch whose weights the network has (counting from 0), and whether it stopped early. */
  bestEpoch?: number;
  stoppedEarly?: boolean;
}

/** The learning rate of `epoch` (from 0) of `epochs`, on `schedule` from `rate`. */
export function scheduledRate(
  rate: number,
  schedule: LearningRateSchedule,
  epoch: number,
  epochs: number | undefined,
): number {
  if (schedule.kind === 'constant') return rate;
  if (schedule.kind === 'step') {
    return rate * (schedule.factor ?? 0.5) ** Math.floor(epoch / schedule.every);
  }
  const end = schedule.end ?? 0;
  const t = epoch / epochs!;
  const fraction = schedule.kind === 'linear' ? 1 - t : (1 + Math.cos(Math.PI * t)) / 2;
  return rate * (end + (1 - end) * fraction);
}

/** Throws a `NeuralNetworkError` unless `rate` is a positive finite number. */
export function checkLearningRate(rate: number): void {
  if (!(rate > 0 && Number.isFinite(rate))) {
    throw new NeuralNetworkError(`the learning rate must be a positive number, got ${rate}`);
  }
}

/**
 * Throws a `NeuralNetworkError` unless `loss` names a loss that fits the network's output layer:
 * categorical cross-entropy for a softmax output, and only for it.
 */
export function checkLoss(network: Network, loss: Loss): void {
  if (!lossNames.includes(loss)) {
    throw new NeuralNetworkError(`unknown loss "${loss}"; use ${lossNames.join(', ')}`);
  }
  const softmaxOutput = network.activations.at(-1) === 'softmax';
  if ((loss === 'categoricalCrossEntropy') !== softmaxOutput) {
    throw new NeuralNetworkError(
      softmaxOutput
        ? `a softmax output trains with categoricalCrossEntropy, not ${loss}`
        : 'categoricalCrossEntropy needs a softmax output layer',
    );
  }
}

/** `TrainOptions` with every default filled in, as training runs them. */
export type TrainSettings = ReturnType<typeof trainSettings>;

/**
 * The options with their defaults (by `??`, so that an option given as undefined means its
 * default), checked against the network and the examples: a `NeuralNetworkError` says what is wrong.
 */
export function trainSettings(
  network: Network,
  examples: readonly Example[],
  options: Omit<TrainOptions, 'epochs'> & { epochs?: number },
) {
  const fail = (message: string) => {
    throw new NeuralNetworkError(message);
  };
  // Defaults by `??`, so that an option given as undefined means its default, as in its type.
  const settings = {
    ...options,
    batchSize: options.batchSize ?? 1,
    loss: options.loss ?? 'mse',
    optimizer: options.optimizer ?? 'sgd',
    partialBatch: options.partialBatch ?? 'apply',
    engine: options.engine ?? defaultEngine(network, options.batchSize ?? 1),
    stopOnNonFinite: options.stopOnNonFinite ?? true,
  };
  const { epochs, learningRate, batchSize, loss, optimizer, regularization } = settings;
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 0))
    fail(`epochs must be a whole number ≥ 0, got ${epochs}`);
  checkLearningRate(learningRate);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    fail(`the batch size must be a whole number ≥ 1, got ${batchSize}`);
  checkLoss(network, loss);
  if (typeof optimizer === 'string' && !Object.hasOwn(optimizers, optimizer)) {
    fail(`unknown optimizer "${optimizer}"; use ${Object.keys(optimizers).join(', ')}`);
  }
  if (regularization !== undefined) {
    if (regularization.kind !== 'l1' && regularization.kind !== 'l2') {
      fail(`unknown regularization "${String(regularization.kind)}"; use l1 or l2`);
    }
    if (!(regularization.rate >= 0 && Number.isFinite(regularization.rate))) {
      fail(`the regularization rate must be a number ≥ 0, got ${regularization.rate}`);
    }
  }
  if (settings.partialBatch !== 'apply' && settings.partialBatch !== 'carry') {
    fail(`partialBatch must be "apply" or "carry", got ${String(settings.partialBatch)}`);
  }
  if (!['compiled', 'batched', 'eager'].includes(settings.engine)) {
    fail(`engine must be "compiled", "batched" or "eager", got ${String(settings.engine)}`);
  }
  if (!settings.stopOnNonFinite && settings.engine === 'eager') {
    fail(
      'stopOnNonFinite: false needs the compiled or batched engine (eager backward stops at a non-finite gradient)',
    );
  }
  checkSchedule(settings.schedule, epochs);
  const { patience, validation } = settings;
  if (patience !== undefined) {
    if (!(Number.isInteger(patience) && patience >= 1))
      fail(`patience must be a whole number ≥ 1, got ${patience}`);
    if (validation === undefined || validation.length === 0)
      fail('patience needs validation examples to watch');
  }
  if (examples.length === 0) fail('there are no examples to train on');
  for (const [which, list] of [
    ['training', examples],
    ['validation', validation ?? []],
    ['test', options.test ?? []],
  ] as const) {
    list.forEach((example, i) => {
      const where = `${which} example ${i + 1}`;
      if (example.input.length !== network.inputSize) {
        fail(`${where} has ${example.input.length} inputs; the network takes ${network.inputSize}`);
      }
      const targets = targetsOf(example);
      if (targets.length !== network.outputSize) {
        fail(
          `${where} has ${targets.length} targets; the network has ${network.outputSize} outputs`,
        );
      }
      if (![...example.input, ...targets].every(Number.isFinite)) {
        fail(`${where} has a number that is not finite`);
      }
    });
  }
  return settings;
}

/** Throws a `NeuralNetworkError` unless the schedule is one `scheduledRate` can follow. */
function checkSchedule(schedule: LearningRateSchedule | undefined, epochs: number | undefined) {
  if (schedule === undefined || schedule.kind === 'constant') return;
  const fail = (message: string) => {
    throw new NeuralNetworkError(`learning-rate schedule ${schedule.kind}: ${message}`);
  };
  if (schedule.kind === 'step') {
    if (!(Number.isInteger(schedule.every) && schedule.every >= 1))
      fail(`"every" must be a whole number ≥ 1, got ${schedule.every}`);
    const factor = schedule.factor ?? 0.5;
    if (!(factor > 0 && factor <= 1)) fail(`"factor" must be in (0, 1], got ${factor}`);
  } else if (schedule.kind === 'linear' || schedule.kind === 'cosine') {
    if (epochs === undefined) fail('needs the number of epochs to fall over');
    const end = schedule.end ?? 0;
    if (!(end >= 0 && end <= 1)) fail(`"end" must be in [0, 1], got ${end}`);
  } else {
    fail('unknown; use constant, step, linear or cosine');
  }
}

/** The engine a run gets when its options name none. */
function defaultEngine(network: Network, batchSize: number): 'compiled' | 'batched' {
  return batchSize > 1 && gainsFromBatches(network.shape) ? 'batched' : 'compiled';
}
