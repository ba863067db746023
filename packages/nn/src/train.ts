import { AutogradError, evaluate, variable, type Variable } from '@dendrite/autograd';
import type { Example } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { losses, type Loss } from './losses.js';
import { meanLoss } from './metrics.js';
import type { Network } from './network.js';
import { optimizers, type Optimizer, type OptimizerName } from './optimizers.js';
import { seededRandom, shuffle, type Random } from './random.js';

/** A penalty on the weights (not the biases), as the Playground applies it after each update. */
export interface Regularization {
  kind: 'l1' | 'l2';
  rate: number;
}

/** What `onEpoch` is told after each pass over the data. */
export interface EpochReport {
  /** The epoch just finished, counting from 0 as the lecture does. */
  epoch: number;
  epochs: number;
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
   * `'carry'` its gradients into the next epoch's first batch, as the Playground does.
   */
  partialBatch?: 'apply' | 'carry';
  onEpoch?: (report: EpochReport) => void;
  onStep?: (report: StepReport) => void;
}

/** The loss after every epoch, on the training examples and (if given) the test examples. */
export interface TrainResult {
  trainLoss: number[];
  testLoss: number[];
}

/**
 * Trains the network's first output on the examples, in place, with gradients from the engine:
 * the loss of one example is built once as a graph over placeholder inputs, and each step sets
 * them, evaluates and backpropagates. Deterministic given the seed; does no I/O. Throws a
 * `NeuralNetworkError` if the loss stops being finite, saying when.
 */
export function train(
  network: Network,
  examples: readonly Example[],
  options: TrainOptions,
): TrainResult {
  const settings = checkOptions(network, examples, options);
  const { epochs, learningRate, batchSize, regularization } = settings;
  const optimizer =
    typeof settings.optimizer === 'string' ? optimizers[settings.optimizer]() : settings.optimizer;
  const random = options.random ?? seededRandom(options.seed ?? 1);

  const { inputs, outputs } = network.placeholderGraph();
  const target = variable(0, 'y');
  const loss = losses[settings.loss](outputs[0]!, target);
  const placeholders = [...inputs, target];
  const parameters = network.parameters();
  const weights = new Set(
    network.layers.flatMap((layer) => layer.neurons.flatMap((n) => n.weights)),
  );
  const dead = new Set<Variable>(); // L1 weights that crossed 0: they stay 0, as in the Playground
  const gradients = new Float64Array(parameters.length);
  let batch = 0;

  const diverged = (epoch: number, what: string) =>
    new NeuralNetworkError(
      `training diverged in epoch ${epoch + 1} of ${epochs}: ${what}; ` +
        `try a smaller learning rate than ${learningRate}`,
    );

  const update = () => {
    const before = parameters.map((p) => p.value);
    parameters.forEach((p, i) => (gradients[i] = dead.has(p) ? 0 : p.grad / batch));
    optimizer.step(parameters, gradients, learningRate);
    parameters.forEach((p, i) => {
      p.grad = 0;
      if (dead.has(p)) p.value = 0;
      else if (regularization !== undefined && weights.has(p)) {
        const slope = regularization.kind === 'l1' ? (before[i]! < 0 ? -1 : 1) : before[i]!;
        const next = p.value - learningRate * regularization.rate * slope;
        if (regularization.kind === 'l1' && p.value * next < 0) {
          p.value = 0;
          dead.add(p);
        } else p.value = next;
      }
    });
    batch = 0;
  };

  const order = examples.map((_, i) => i);
  const history: TrainResult = { trainLoss: [], testLoss: [] };
  for (const p of parameters) p.grad = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (options.shuffle) shuffle(order, random);
    for (let step = 0; step < order.length; step++) {
      const example = examples[order[step]!]!;
      example.input.forEach((x, i) => (inputs[i]!.value = x));
      target.value = example.target;
      const value = evaluate(loss);
      if (!Number.isFinite(value))
        throw diverged(epoch, `the loss of example ${order[step]! + 1} is ${value}`);
      for (const x of placeholders) x.grad = 0;
      try {
        loss.backward();
      } catch (error) {
        if (error instanceof AutogradError) throw diverged(epoch, error.message);
        throw error;
      }
      batch++;
      if (batch === batchSize) update();
      options.onStep?.({ epoch, step, loss: value });
    }
    if (batch > 0 && settings.partialBatch === 'apply') update();

    const trainLoss = meanLoss(network, examples, settings.loss);
    if (!Number.isFinite(trainLoss)) throw diverged(epoch, `the training loss is ${trainLoss}`);
    history.trainLoss.push(trainLoss);
    const report: EpochReport = { epoch, epochs, trainLoss };
    if (options.test !== undefined && options.test.length > 0) {
      report.testLoss = meanLoss(network, options.test, settings.loss);
      history.testLoss.push(report.testLoss);
    }
    options.onEpoch?.(report);
  }
  return history;
}

function checkOptions(network: Network, examples: readonly Example[], options: TrainOptions) {
  const fail = (message: string) => {
    throw new NeuralNetworkError(message);
  };
  const settings = {
    batchSize: 1,
    loss: 'mse' as Loss,
    optimizer: 'sgd' as OptimizerName | Optimizer,
    partialBatch: 'apply' as 'apply' | 'carry',
    ...options,
  };
  const { epochs, learningRate, batchSize, loss, optimizer, regularization } = settings;
  if (!Number.isInteger(epochs) || epochs < 0)
    fail(`epochs must be a whole number ≥ 0, got ${epochs}`);
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    fail(`the learning rate must be a positive number, got ${learningRate}`);
  }
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
