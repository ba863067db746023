import { AutogradError, type Variable } from '@dendrite/autograd';
import type { Example } from './data.js';
import { BatchedEngine, CompiledEngine, EagerEngine, type Engine } from './engines.js';
import { NeuralNetworkError } from './errors.js';
import type { Network } from './network.js';
import { parameterCount } from './memory.js';
import { optimizers } from './optimizers.js';
import { seededRandom, shuffle } from './random.js';
import {
  checkLearningRate,
  scheduledRate,
  trainSettings,
  type EpochReport,
  type StepReport,
  type TrainOptions,
  type TrainResult,
} from './train-options.js';
import { applyUpdate, type Updater } from './update.js';

/**
 * Trains the network on the examples, in place, with gradients from the engine: the loss of one
 * example is built once as a graph over placeholder inputs and targets; each step sets them and
 * runs the compiled loss and gradients (or, with `engine: 'eager'`, evaluates and
 * backpropagates). With `patience`, stops once the validation loss stops improving and keeps the
 * best epoch's weights. Deterministic given the seed; does no I/O. Throws a `NeuralNetworkError`
 * if the loss stops being finite, saying when.
 */
export function train(
  network: Network,
  examples: readonly Example[],
  options: TrainOptions,
): TrainResult {
  const run = trainer(network, examples, options);
  const history: TrainResult = { trainLoss: [], validationLoss: [], testLoss: [] };
  const { patience } = options;
  let best = { loss: Infinity, epoch: -1, values: run.parameterValues() };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const { trainLoss, validationLoss, testLoss } = run.epoch();
    history.trainLoss.push(trainLoss);
    if (validationLoss !== undefined) history.validationLoss.push(validationLoss);
    if (testLoss !== undefined) history.testLoss.push(testLoss);
    if (patience === undefined || validationLoss === undefined) continue;
    if (validationLoss < best.loss) {
      best = { loss: validationLoss, epoch, values: run.parameterValues() };
    } else if (epoch - best.epoch >= patience) {
      history.stoppedEarly = true;
      break;
    }
  }
  if (patience !== undefined && best.epoch >= 0) {
    run.setParameterValues(best.values);
    history.bestEpoch = best.epoch;
    history.stoppedEarly ??= false;
  }
  return history;
}

/** Training that goes one epoch at a time, for a page or a loop that decides when to stop. */
export interface Trainer {
  /** How many epochs it has run. */
  readonly epochs: number;
  /**
   * How it computes the gradients, as `TrainOptions.engine` chose or its default: on a compiled
   * tape, one example at a time or a mini-batch at once, or eagerly.
   */
  readonly engine: 'compiled' | 'batched' | 'eager';
  /**
   * How the compiled engine runs its tape: `'code'`, written out as one function (a network of up
   * to several hundred parameters), or `'tape'`, interpreted; the batched engine, in lanes, its
   * neurons' loops as WebAssembly SIMD (`'simd'`) or JavaScript (`'lanes'`); undefined for the
   * eager engine.
   */
  readonly mode: 'code' | 'tape' | 'lanes' | 'simd' | undefined;
  /** The step size of the next updates; set it to change the rate mid-run, as the Playground allows. */
  learningRate: number;
  /** Runs one more epoch (carrying any partial batch on, as one long run would) and reports it. */
  epoch(): EpochReport;
  /** A copy of the parameters' values now, in `network.parameters()` order. */
  parameterValues(): Float64Array;
  /** Sets the parameters (in the network too) to these values, e.g. to go back to an earlier epoch. */
  setParameterValues(values: Float64Array): void;
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
  const settings = trainSettings(network, examples, options);
  const parameters = network.parameters();
  const engine: Engine =
    settings.engine === 'batched'
      ? new BatchedEngine(network, settings.loss, Math.min(settings.batchSize, widestBatch))
      : settings.engine === 'compiled'
        ? new CompiledEngine(network, settings.loss)
        : new EagerEngine(network, settings.loss);
  const count = parameters.length;
  const updater: Updater = {
    sums: engine.sums ?? new Float64Array(count),
    gradients: new Float64Array(count),
    values: engine.values,
    batch: 0,
    optimizer:
      typeof settings.optimizer === 'string'
        ? optimizers[settings.optimizer]()
        : settings.optimizer,
    isWeight: weightMask(network),
    dead: new Uint8Array(count),
    anyDead: false,
    before: settings.regularization === undefined ? undefined : new Float64Array(count),
    regularization: settings.regularization,
    stop: settings.stopOnNonFinite,
  };
  const run: Run = {
    engine,
    updater,
    examples,
    order: examples.map((_, i) => i),
    batchSize: settings.batchSize,
    carry: settings.partialBatch === 'carry',
    parameters,
    epochs: settings.epochs,
    onStep: options.onStep,
  };
  const random = options.random ?? seededRandom(options.seed ?? 1);
  let done = 0;
  let rate = settings.learningRate;
  return {
    get epochs() {
      return done;
    },
    engine: settings.engine,
    mode: engine.mode,
    get learningRate() {
      return rate;
    },
    set learningRate(next: number) {
      checkLearningRate(next);
      rate = next;
    },
    parameterValues: () => Float64Array.from(engine.values),
    setParameterValues(values) {
      engine.values.set(values);
      engine.syncToNetwork();
    },
    epoch() {
      const epoch = done;
      const learningRate =
        settings.schedule === undefined
          ? rate
          : scheduledRate(rate, settings.schedule, epoch, settings.epochs);
      if (settings.shuffle) shuffle(run.order, random);
      if (engine.accumulateBatch !== undefined && run.onStep === undefined) {
        runEpochInBatches(run, epoch, learningRate);
      } else runEpoch(run, epoch, learningRate);
      engine.syncToNetwork();
      const trainLoss = engine.meanLoss(examples);
      if (!Number.isFinite(trainLoss) && run.updater.stop) {
        throw diverged(run, epoch, learningRate, `the training loss is ${trainLoss}`);
      }
      const report: EpochReport = { epoch, trainLoss, learningRate };
      if (settings.epochs !== undefined) report.epochs = settings.epochs;
      if (settings.validation !== undefined && settings.validation.length > 0) {
        report.validationLoss = engine.meanLoss(settings.validation);
      }
      if (settings.test !== undefined && settings.test.length > 0) {
        report.testLoss = engine.meanLoss(settings.test);
      }
      done++;
      options.onEpoch?.(report);
      return report;
    },
  };
}

/** One training run's state, for the loop below (a module-level function, kept hot across runs). */
interface Run {
  /** What computes each example's loss and gradients. */
  engine: Engine;
  /** What the steps update, and how. */
  updater: Updater;
  /** The training examples. */
  examples: readonly Example[];
  /** The order to take the examples in (shuffled in place when asked). */
  order: number[];
  /** Examples per update. */
  batchSize: number;
  /** Carry a last partial batch into the next epoch instead of applying it. */
  carry: boolean;
  /** The network's parameters, in the updater's order (their labels name a diverging gradient). */
  parameters: readonly Variable[];
  /** How many epochs the run has, for messages (unknown for a `trainer`). */
  epochs: number | undefined;
  /** Told after each example. */
  onStep: ((report: StepReport) => void) | undefined;
}

/**
 * One epoch at `learningRate`, as the lecture trains: for each example, forward, loss and
 * backward (its gradients add up over the batch); after each full batch, a step (and one for a
 * last partial batch, unless it carries over into the next epoch).
 */
function runEpoch(run: Run, epoch: number, learningRate: number): void {
  const { engine, updater, examples, order, batchSize } = run;
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const loss = backpropagate(run, examples[index]!, epoch, learningRate);
    if (!Number.isFinite(loss) && run.updater.stop) {
      throw diverged(run, epoch, learningRate, `the loss of example ${index + 1} is ${loss}`);
    }
    updater.batch++;
    if ((position + 1) % batchSize === 0) step(run, epoch, learningRate);
    if (run.onStep !== undefined) {
      engine.syncToNetwork();
      run.onStep({ epoch, step: position, loss });
    }
  }
  if (updater.batch > 0 && !run.carry) step(run, epoch, learningRate);
}

/** The most examples the batched engine runs at once (a larger mini-batch runs in parts). */
const widestBatch = 64;

/**
 * `runEpoch` on the batched engine: the examples of each mini-batch forward, loss and backward
 * at once (in parts of at most the engine's width), the same numbers as one at a time.
 */
function runEpochInBatches(run: Run, epoch: number, learningRate: number): void {
  const { engine, updater, examples, order, batchSize } = run;
  const width = engine.width!;
  for (let from = 0; from < order.length;) {
    const to = Math.min(order.length, (Math.floor(from / batchSize) + 1) * batchSize);
    for (let at = from; at < to; at += width) {
      const count = Math.min(width, to - at);
      let losses: Float64Array;
      try {
        losses = engine.accumulateBatch!(examples, order, at, count, updater.sums);
      } catch (error) {
        if (error instanceof AutogradError) throw diverged(run, epoch, learningRate, error.message);
        throw error;
      }
      for (let e = 0; e < count && run.updater.stop; e++) {
        if (!Number.isFinite(losses[e])) {
          const what = `the loss of example ${order[at + e]! + 1} is ${losses[e]}`;
          throw diverged(run, epoch, learningRate, what);
        }
      }
      updater.batch += count;
    }
    if (to % batchSize === 0) step(run, epoch, learningRate);
    from = to;
  }
  if (updater.batch > 0 && !run.carry) step(run, epoch, learningRate);
}

/** One example's loss, its gradients added to the batch's. */
function backpropagate(run: Run, example: Example, epoch: number, learningRate: number): number {
  try {
    return run.engine.accumulate(example, run.updater.sums);
  } catch (error) {
    if (error instanceof AutogradError) throw diverged(run, epoch, learningRate, error.message);
    throw error;
  }
}

/** The update from the batch's gradients: the optimizer's step, then the regularization. */
function step(run: Run, epoch: number, learningRate: number): void {
  const { updater } = run;
  const bad = applyUpdate(updater, learningRate);
  if (bad >= 0) {
    const gradient = updater.sums[bad]! / updater.batch;
    const what = `the gradient of ${run.parameters[bad]!.label} is ${gradient}`;
    throw diverged(run, epoch, learningRate, what);
  }
  if (run.engine.readsVariables) run.engine.syncToNetwork();
}

function diverged(run: Run, epoch: number, learningRate: number, what: string): NeuralNetworkError {
  const of = run.epochs === undefined ? '' : ` of ${run.epochs}`;
  return new NeuralNetworkError(
    `training diverged in epoch ${epoch + 1}${of}: ${what}; ` +
      `try a smaller learning rate than ${learningRate}`,
  );
}

/** 1 for each weight and 0 for each bias, in `network.parameters()` order (each neuron's weights, then its bias). */
function weightMask(network: Network): Uint8Array {
  const mask = new Uint8Array(parameterCount(network.shape));
  let at = 0;
  for (const layer of network.layers) {
    for (const neuron of layer.neurons) {
      mask.fill(1, at, at + neuron.weights.length);
      at += neuron.weights.length + 1;
    }
  }
  return mask;
}
