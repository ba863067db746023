import type { Example } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { losses, type Loss } from './losses.js';
import type { Network } from './network.js';
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
  testLoss?: number;
}

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
   * `'compiled'` (default): the loss and its symbolic gradients are compiled once into one
   * function over typed arrays. `'eager'`: each step evaluates the loss graph and backpropagates.
   * Both give the same numbers to round-off.
   */
  engine?: 'compiled' | 'eager';
  /**
   * Throw a `NeuralNetworkError` as soon as a loss or a gradient is not finite (default true);
   * `false` trains on through NaN and infinities as the Playground does (compiled engine only).
   */
  stopOnNonFinite?: boolean;
  onEpoch?: (report: EpochReport) => void;
  onStep?: (report: StepReport) => void;
}

/** The loss after every epoch, on the training examples and (if given) the test examples. */
export interface TrainResult {
  trainLoss: number[];
  testLoss: number[];
}

/** Throws a `NeuralNetworkError` unless `rate` is a positive finite number. */
export function checkLearningRate(rate: number): void {
  if (!(rate > 0 && Number.isFinite(rate))) {
    throw new NeuralNetworkError(`the learning rate must be a positive number, got ${rate}`);
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
    engine: options.engine ?? 'compiled',
    stopOnNonFinite: options.stopOnNonFinite ?? true,
  };
  const { epochs, learningRate, batchSize, loss, optimizer, regularization } = settings;
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 0))
    fail(`epochs must be a whole number ≥ 0, got ${epochs}`);
  checkLearningRate(learningRate);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    fail(`the batch size must be a whole number ≥ 1, got ${batchSize}`);
  if (!Object.hasOwn(losses, loss))
    fail(`unknown loss "${loss}"; use ${Object.keys(losses).join(', ')}`);
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
  if (settings.engine !== 'compiled' && settings.engine !== 'eager') {
    fail(`engine must be "compiled" or "eager", got ${String(settings.engine)}`);
  }
  if (!settings.stopOnNonFinite && settings.engine !== 'compiled') {
    fail(
      'stopOnNonFinite: false needs the compiled engine (eager backward stops at a non-finite gradient)',
    );
  }
  if (network.outputSize !== 1)
    fail(`train fits one output; this network has ${network.outputSize}`);
  if (examples.length === 0) fail('there are no examples to train on');
  for (const [which, list] of [
    ['training', examples],
    ['test', options.test ?? []],
  ] as const) {
    list.forEach((example, i) => {
      if (example.input.length !== network.inputSize) {
        fail(
          `${which} example ${i + 1} has ${example.input.length} inputs; the network takes ${network.inputSize}`,
        );
      }
      if (![...example.input, example.target].every(Number.isFinite)) {
        fail(`${which} example ${i + 1} has a number that is not finite`);
      }
    });
  }
  return settings;
}
