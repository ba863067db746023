import type { Example } from './data.js';
import { widestBatch } from './batching.js';
import { diverged, runEpoch, runEpochInBatches, type Run } from './epochs.js';
import { BatchedEngine, CompiledEngine, EagerEngine, type Engine } from './engines.js';
import type { Network } from './network.js';
import { parameterCount } from './memory.js';
import { optimizers } from './optimizers.js';
import { seededRandom, shuffle } from './random.js';
import {
  checkLearningRate,
  scheduledRate,
  trainSettings,
  type EpochReport,
  type TrainOptions,
  type TrainResult,
} from './train-options.js';
import type { Updater } from './update.js';

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
  const engine: Engine =
    settings.engine === 'batched'
      ? new BatchedEngine(network, settings.loss, Math.min(settings.batchSize, widestBatch))
      : settings.engine === 'compiled'
        ? new CompiledEngine(network, settings.loss)
        : new EagerEngine(network, settings.loss);
  const count = engine.values.length;
  const optimizer =
    typeof settings.optimizer === 'string' ? optimizers[settings.optimizer]() : settings.optimizer;
  const updater: Updater = {
    sums: engine.sums ?? new Float64Array(count),
    // (plain SGD reads only the sums: no array of means for it)
    gradients: new Float64Array(optimizer.sumsOnly === true ? 0 : count),
    values: engine.values,
    batch: 0,
    optimizer,
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
    network,
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
