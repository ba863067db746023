import { AutogradError, compile, evaluate, grad, variable } from '@dendrite/autograd';
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
 * the loss of one example is built once as a graph over placeholder inputs; each step sets them
 * and runs the compiled loss and gradients (or, with `engine: 'eager'`, evaluates and
 * backpropagates). Deterministic given the seed; does no I/O. Throws a `NeuralNetworkError` if
 * the loss stops being finite, saying when.
 */
export function train(
  network: Network,
  examples: readonly Example[],
  options: TrainOptions,
): TrainResult {
  const run = trainer(network, examples, options);
  const history: TrainResult = { trainLoss: [], testLoss: [] };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const { trainLoss, testLoss } = run.epoch();
    history.trainLoss.push(trainLoss);
    if (testLoss !== undefined) history.testLoss.push(testLoss);
  }
  return history;
}

/** Training that goes one epoch at a time, for a page or a loop that decides when to stop. */
export interface Trainer {
  /** How many epochs it has run. */
  readonly epochs: number;
  /** The step size of the next updates; set it to change the rate mid-run, as the Playground allows. */
  learningRate: number;
  /** Runs one more epoch (carrying any partial batch on, as one long run would) and reports it. */
  epoch(): EpochReport;
}

/**
 * A `train` run that you drive epoch by epoch: `trainer(network, examples, options).epoch()`.
 * `options.epochs` is optional here; given, it only appears in reports and messages. Epochs run
 * this way give exactly the numbers of one `train` call.
 */
export function trainer(
  network: Network,
  examples: readonly Example[],
  options: Omit<TrainOptions, 'epochs'> & { epochs?: number },
): Trainer {
  const settings = checkOptions(network, examples, options);
  const { epochs, batchSize, regularization } = settings;
  let { learningRate } = settings;
  const optimizer =
    typeof settings.optimizer === 'string' ? optimizers[settings.optimizer]() : settings.optimizer;
  const random = options.random ?? seededRandom(options.seed ?? 1);

  const { inputs, outputs } = network.placeholderGraph();
  const target = variable(0, 'y');
  const loss = losses[settings.loss](outputs[0]!, target);
  const placeholders = [...inputs, target];
  const parameters = network.parameters();
  const count = parameters.length;
  const weightSet = new Set(
    network.layers.flatMap((layer) => layer.neurons.flatMap((n) => n.weights)),
  );
  const isWeight = Uint8Array.from(parameters, (p) => (weightSet.has(p) ? 1 : 0));
  const dead = new Uint8Array(count); // L1 weights that crossed 0 stay 0, as in the Playground
  let anyDead = false;
  const sums = new Float64Array(count); // each parameter's gradient, summed over the batch
  const gradients = new Float64Array(count); // … and averaged, for the optimizer
  const before = regularization === undefined ? undefined : new Float64Array(count);
  let batch = 0;

  const diverged = (epoch: number, what: string) =>
    new NeuralNetworkError(
      `training diverged in epoch ${epoch + 1}${epochs === undefined ? '' : ` of ${epochs}`}: ${what}; ` +
        `try a smaller learning rate than ${learningRate}`,
    );

  // One example: its inputs go into `input`; its loss is returned and its gradients added to `sums`.
  const input = new Float64Array(placeholders.length);
  const load = (example: Example) => {
    for (let i = 0; i < inputs.length; i++) input[i] = example.input[i]!;
    input[inputs.length] = example.target;
  };
  // The parameters' numbers while training: the compiled function's own array (the Variables are
  // brought up to date after each epoch, before `onStep` and at the end), or for the eager engine
  // a copy written back to the Variables after each update.
  let values: Float64Array;
  let toVariables: () => void;
  let step: (epoch: number, example: Example, index: number) => number;
  let measure: (data: readonly Example[]) => number;
  if (settings.engine === 'compiled') {
    const lossAndGradients = compile([loss, ...grad(loss, parameters)], {
      inputs: placeholders,
      parameters,
    });
    const lossOnly = compile([loss], { inputs: placeholders, parameters });
    const out = new Float64Array(count + 1);
    values = lossAndGradients.parameters;
    toVariables = lossAndGradients.syncToValues;
    step = (epoch, example, index) => {
      load(example);
      lossAndGradients(input, out);
      if (!Number.isFinite(out[0]))
        throw diverged(epoch, `the loss of example ${index + 1} is ${out[0]}`);
      for (let i = 0; i < count; i++) sums[i]! += out[i + 1]!;
      return out[0]!;
    };
    measure = (data) => {
      lossOnly.parameters.set(values);
      let total = 0;
      for (const example of data) {
        load(example);
        total += lossOnly(input)[0]!;
      }
      return total / data.length;
    };
  } else {
    values = Float64Array.from(parameters, (p) => p.value);
    toVariables = () => parameters.forEach((p, i) => (p.value = values[i]!));
    step = (epoch, example, index) => {
      load(example);
      placeholders.forEach((x, i) => ((x.value = input[i]!), (x.grad = 0)));
      for (const p of parameters) p.grad = 0;
      const value = evaluate(loss);
      if (!Number.isFinite(value))
        throw diverged(epoch, `the loss of example ${index + 1} is ${value}`);
      try {
        loss.backward();
      } catch (error) {
        if (error instanceof AutogradError) throw diverged(epoch, error.message);
        throw error;
      }
      parameters.forEach((p, i) => (sums[i]! += p.grad));
      return value;
    };
    measure = (data) => meanLoss(network, data, settings.loss);
  }

  const update = (epoch: number) => {
    for (let i = 0; i < count; i++) {
      const gradient = sums[i]! / batch;
      if (!Number.isFinite(gradient))
        throw diverged(epoch, `the gradient of ${parameters[i]!.label} is ${gradient}`);
      gradients[i] = dead[i] ? 0 : gradient;
    }
    before?.set(values);
    optimizer.step(values, gradients, learningRate);
    if (before !== undefined) {
      const { kind, rate } = regularization!;
      for (let i = 0; i < count; i++) {
        if (!isWeight[i] || dead[i]) continue;
        const slope = kind === 'l1' ? Math.sign(before[i]!) : before[i]!;
        const next = values[i]! - learningRate * rate * slope;
        if (kind === 'l1' && values[i]! * next < 0) {
          values[i] = 0;
          dead[i] = 1;
          anyDead = true;
        } else values[i] = next;
      }
    }
    if (anyDead) for (let i = 0; i < count; i++) if (dead[i]) values[i] = 0;
    sums.fill(0);
    batch = 0;
    if (settings.engine === 'eager') toVariables();
  };

  const order = examples.map((_, i) => i);
  let done = 0;
  return {
    get epochs() {
      return done;
    },
    get learningRate() {
      return learningRate;
    },
    set learningRate(rate: number) {
      if (!(rate > 0 && Number.isFinite(rate))) {
        throw new NeuralNetworkError(`the learning rate must be a positive number, got ${rate}`);
      }
      learningRate = rate;
    },
    epoch() {
      const epoch = done;
      if (options.shuffle) shuffle(order, random);
      for (let position = 0; position < order.length; position++) {
        const index = order[position]!;
        const value = step(epoch, examples[index]!, index);
        batch++;
        if ((position + 1) % batchSize === 0) update(epoch);
        if (options.onStep !== undefined) {
          toVariables();
          options.onStep({ epoch, step: position, loss: value });
        }
      }
      if (batch > 0 && settings.partialBatch === 'apply') update(epoch);
      toVariables();

      const trainLoss = measure(examples);
      if (!Number.isFinite(trainLoss)) throw diverged(epoch, `the training loss is ${trainLoss}`);
      const report: EpochReport = { epoch, trainLoss };
      if (epochs !== undefined) report.epochs = epochs;
      if (options.test !== undefined && options.test.length > 0) {
        report.testLoss = measure(options.test);
      }
      done++;
      options.onEpoch?.(report);
      return report;
    },
  };
}

function checkOptions(
  network: Network,
  examples: readonly Example[],
  options: Omit<TrainOptions, 'epochs'> & { epochs?: number },
) {
  const fail = (message: string) => {
    throw new NeuralNetworkError(message);
  };
  const settings = {
    batchSize: 1,
    loss: 'mse' as Loss,
    optimizer: 'sgd' as OptimizerName | Optimizer,
    partialBatch: 'apply' as 'apply' | 'carry',
    engine: 'compiled' as 'compiled' | 'eager',
    ...options,
  };
  const { epochs, learningRate, batchSize, loss, optimizer, regularization } = settings;
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 0))
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
  if (settings.engine !== 'compiled' && settings.engine !== 'eager') {
    fail(`engine must be "compiled" or "eager", got ${String(settings.engine)}`);
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
