import {
  AutogradError,
  compile,
  evaluate,
  grad,
  variable,
  type Compiled,
} from '@dendrite/autograd';
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
  const { epochs, regularization } = settings;
  const stop = settings.stopOnNonFinite;
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
  const sums = new Float64Array(count); // each parameter's gradient, summed over the batch

  const diverged = (epoch: number, what: string) =>
    new NeuralNetworkError(
      `training diverged in epoch ${epoch + 1}${epochs === undefined ? '' : ` of ${epochs}`}: ${what}; ` +
        `try a smaller learning rate than ${updater.learningRate}`,
    );

  // One example's inputs and target, for the compiled functions (and the eager placeholders).
  const input = new Float64Array(placeholders.length);
  // The parameters' numbers while training: the compiled function's own array (the Variables are
  // brought up to date after each epoch, before `onStep` and at the end), or for the eager engine
  // a copy written back to the Variables after each update.
  let values: Float64Array;
  let toVariables: () => void;
  let compiled: CompiledRun | undefined;
  let eagerStep: Pass['eagerStep'];
  let measure: (data: readonly Example[]) => number;
  if (settings.engine === 'compiled') {
    const lossAndGradients = compile([loss, ...grad(loss, parameters)], {
      inputs: placeholders,
      parameters,
    });
    const lossOnly = compile([loss], { inputs: placeholders, parameters });
    const run: CompiledRun = {
      input,
      inputCount: inputs.length,
      lossAndGradients,
      lossOnly,
      out: new Float64Array(count + 1),
      sums,
    };
    compiled = run;
    values = lossAndGradients.parameters;
    toVariables = lossAndGradients.syncToValues;
    measure = (data) => measureCompiled(run, data);
  } else {
    values = Float64Array.from(parameters, (p) => p.value);
    toVariables = () => parameters.forEach((p, i) => (p.value = values[i]!));
    eagerStep = (example, epoch) => {
      loadExample(input, inputs.length, example);
      placeholders.forEach((x, i) => ((x.value = input[i]!), (x.grad = 0)));
      for (const p of parameters) p.grad = 0;
      const value = evaluate(loss);
      if (!Number.isFinite(value)) return value;
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

  const updater: Updater = {
    sums,
    gradients: new Float64Array(count),
    values,
    batch: 0,
    learningRate: settings.learningRate,
    optimizer,
    isWeight: Uint8Array.from(parameters, (p) => (weightSet.has(p) ? 1 : 0)),
    dead: new Uint8Array(count),
    anyDead: false,
    before: regularization === undefined ? undefined : new Float64Array(count),
    regularization,
    stop,
  };
  const pass: Pass = {
    examples,
    order: examples.map((_, i) => i),
    batchSize: settings.batchSize,
    carry: settings.partialBatch === 'carry',
    compiled,
    eagerStep,
    updater,
    afterUpdate: settings.engine === 'eager' ? toVariables : undefined,
    labels: parameters.map((p) => p.label),
    diverged,
    stop,
    onStep: undefined,
  };
  let done = 0;
  return {
    get epochs() {
      return done;
    },
    get learningRate() {
      return updater.learningRate;
    },
    set learningRate(rate: number) {
      if (!(rate > 0 && Number.isFinite(rate))) {
        throw new NeuralNetworkError(`the learning rate must be a positive number, got ${rate}`);
      }
      updater.learningRate = rate;
    },
    epoch() {
      const epoch = done;
      if (options.shuffle) shuffle(pass.order, random);
      const { onStep } = options;
      pass.onStep =
        onStep === undefined
          ? undefined
          : (position, value) => {
              toVariables();
              onStep({ epoch, step: position, loss: value });
            };
      runPass(pass, epoch);
      toVariables();

      const trainLoss = measure(examples);
      if (!Number.isFinite(trainLoss) && stop) {
        throw diverged(epoch, `the training loss is ${trainLoss}`);
      }
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

// Training's hot paths are module-level functions over an explicit state rather than
// closures made per run, so that V8 keeps them optimized from one training run to the next.

/** What the compiled engine's hot paths work on. */
interface CompiledRun {
  /** One example's inputs and then its target. */
  input: Float64Array;
  inputCount: number;
  lossAndGradients: Compiled;
  lossOnly: Compiled;
  out: Float64Array;
  /** Each parameter's gradient, summed over the batch so far. */
  sums: Float64Array;
}

function loadExample(input: Float64Array, inputCount: number, example: Example): void {
  const values = example.input;
  for (let i = 0; i < inputCount; i++) input[i] = values[i]!;
  input[inputCount] = example.target;
}

/** One example through the compiled loss and gradients: its loss, its gradients added to `sums`. */
function accumulate(run: CompiledRun, example: Example): number {
  loadExample(run.input, run.inputCount, example);
  const out = run.lossAndGradients(run.input, run.out);
  const sums = run.sums;
  for (let i = 0; i < sums.length; i++) sums[i]! += out[i + 1]!;
  return out[0]!;
}

/** The mean loss over the examples at the current parameters. */
function measureCompiled(run: CompiledRun, data: readonly Example[]): number {
  const { lossOnly, input } = run;
  lossOnly.parameters.set(run.lossAndGradients.parameters);
  let total = 0;
  for (let e = 0; e < data.length; e++) {
    loadExample(input, run.inputCount, data[e]!);
    total += lossOnly(input, run.out)[0]!;
  }
  return total / data.length;
}

/** What an update reads and writes. */
interface Updater {
  sums: Float64Array;
  /** How many examples `sums` holds. */
  batch: number;
  /** The mean gradients, for the optimizer. */
  gradients: Float64Array;
  values: Float64Array;
  learningRate: number;
  isWeight: Uint8Array;
  /** L1 weights that crossed 0, which stay 0 as in the Playground. */
  dead: Uint8Array;
  anyDead: boolean;
  /** The values before the optimizer's step, for the regularization. */
  before: Float64Array | undefined;
  regularization: Regularization | undefined;
  optimizer: Optimizer;
  /** Refuse a non-finite gradient (else apply it, as the Playground does). */
  stop: boolean;
}

/**
 * One update from the gradients summed over the batch's examples: the optimizer's step with their
 * mean, then the regularization as the Playground applies it (weights only; an L1 weight that
 * crosses 0 stays 0). Returns the index of a non-finite gradient (changing nothing), else -1.
 */
function applyUpdate(u: Updater): number {
  const { sums, batch, gradients, values, learningRate, dead, isWeight, before } = u;
  const count = sums.length;
  for (let i = 0; i < count; i++) {
    const gradient = sums[i]! / batch;
    if (!Number.isFinite(gradient) && u.stop) return i;
    if (dead[i]) sums[i] = 0;
    gradients[i] = dead[i] ? 0 : gradient;
  }
  before?.set(values);
  u.optimizer.step(values, gradients, learningRate, { sums, size: batch, isWeight });
  if (before !== undefined) {
    const { kind, rate } = u.regularization!;
    for (let i = 0; i < count; i++) {
      if (!isWeight[i] || dead[i]) continue;
      const slope = kind === 'l1' ? Math.sign(before[i]!) : before[i]!;
      const next = values[i]! - learningRate * rate * slope;
      if (kind === 'l1' && values[i]! * next < 0) {
        values[i] = 0;
        dead[i] = 1;
        u.anyDead = true;
      } else values[i] = next;
    }
  }
  if (u.anyDead) for (let i = 0; i < count; i++) if (dead[i]) values[i] = 0;
  sums.fill(0);
  u.batch = 0;
  return -1;
}

/** One pass over the examples: what `runPass` needs. */
interface Pass {
  examples: readonly Example[];
  /** The order to take them in (shuffled in place when asked). */
  order: number[];
  batchSize: number;
  /** Carry a last partial batch into the next pass instead of applying it. */
  carry: boolean;
  /** The compiled engine's state; or else the eager engine's step, which returns the loss. */
  compiled: CompiledRun | undefined;
  eagerStep: ((example: Example, epoch: number) => number) | undefined;
  updater: Updater;
  afterUpdate: (() => void) | undefined;
  onStep: ((position: number, loss: number) => void) | undefined;
  labels: readonly (string | undefined)[];
  diverged: (epoch: number, what: string) => Error;
  /** Refuse a non-finite loss (else train on). */
  stop: boolean;
}

/** One epoch: every example's gradients, an update after each full batch (and maybe the last). */
function runPass(pass: Pass, epoch: number): void {
  const { examples, order, batchSize, updater } = pass;
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const example = examples[index]!;
    const loss =
      pass.compiled !== undefined
        ? accumulate(pass.compiled, example)
        : pass.eagerStep!(example, epoch);
    if (!Number.isFinite(loss) && pass.stop) {
      throw pass.diverged(epoch, `the loss of example ${index + 1} is ${loss}`);
    }
    updater.batch++;
    if ((position + 1) % batchSize === 0) update(pass, epoch);
    pass.onStep?.(position, loss);
  }
  if (updater.batch > 0 && !pass.carry) update(pass, epoch);
}

function update(pass: Pass, epoch: number): void {
  const { updater } = pass;
  const bad = applyUpdate(updater);
  if (bad >= 0) {
    const gradient = updater.sums[bad]! / updater.batch;
    throw pass.diverged(epoch, `the gradient of ${pass.labels[bad]} is ${gradient}`);
  }
  pass.afterUpdate?.();
}

function checkOptions(
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
    loss: options.loss ?? ('mse' as Loss),
    optimizer: options.optimizer ?? ('sgd' as OptimizerName | Optimizer),
    partialBatch: options.partialBatch ?? ('apply' as 'apply' | 'carry'),
    engine: options.engine ?? ('compiled' as 'compiled' | 'eager'),
    stopOnNonFinite: options.stopOnNonFinite ?? true,
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
