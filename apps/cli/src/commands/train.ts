import {
  experimentShape,
  meanLoss,
  networkMemory,
  prepareExperiment,
  refitExperiment,
  seededRandom,
  taskMetrics,
  train,
  type EpochReport,
  type ExperimentPlan,
  type Metrics,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { targetsFor, toExamples } from '../data.js';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { checkMemory } from '../memory.js';
import { progress } from '../progress.js';
import { addTrainOptions } from './train-flags.js';
import { report } from './train-report.js';
import {
  checkActivations,
  loadData,
  outputLayer,
  protocolFor,
  scheduleFor,
  type TrainCommandOptions,
} from './train-setup.js';

/** `dendrite train`: trains a network on a CSV file or a built-in data set and saves the model. */
export function registerTrain(program: Command, io: Io): void {
  const command = program
    .command('train')
    .summary('train a network on a CSV file or a built-in data set, and save the model')
    .description(
      'Trains a fully connected network and saves it as a model file. The data is a CSV file (the' +
        ' target is the last column unless --target names it; the inputs are the other columns unless' +
        ' --features names them) or a built-in data set. Labels that are words, 0/1 or -1/1, or a few' +
        ' whole numbers are classes (two: a sigmoid output and binary cross-entropy; more: softmax and' +
        ' categorical cross-entropy); other numbers are regression (a linear output and the MSE). Several' +
        ' --target columns are one-hot classes or several numbers. CSV inputs (and regression targets)' +
        ' are normalised unless --no-normalize. A seeded shuffle holds out --test-split of the rows,' +
        ' recorded in the model so that `dendrite eval --split test` scores exactly them.',
    );
  addTrainOptions(command).action(
    async (dataPath: string | undefined, options: TrainCommandOptions) => {
      const started = performance.now();
      const hidden = checkActivations(options.activation, options.layers.length);
      const random = seededRandom(options.seed);
      const loaded = await loadData(dataPath, options, random, io, program);
      const { data, source, features } = loaded;
      const output = outputLayer(data, {
        activation: options.outputActivation,
        loss: options.loss,
      });
      const normalize = options.normalize ?? dataPath !== undefined;
      const protocol = protocolFor(options, data, command);
      const { testFraction, validationFraction, patience } = protocol;
      const schedule = scheduleFor(options.lrSchedule, options.epochs);
      const settings = {
        loss: output.loss,
        optimizer: options.optimizer,
        learningRate: options.learningRate,
        schedule,
        batchSize: options.batchSize,
        ...(options.regularization === 'none'
          ? {}
          : { regularization: { kind: options.regularization, rate: options.regularizationRate } }),
        shuffle: options.shuffle === true,
        partialBatch: options.partialBatch,
        engine: options.engine,
        ...(patience === undefined ? {} : { patience }),
      };
      // A split seed of its own (implied by --folds) holds out the same rows whatever --seed is.
      const ownSplit = options.splitSeed !== undefined || protocol.fold !== undefined;
      const splitSeed = options.splitSeed ?? options.seed;
      const plan: ExperimentPlan = {
        data: toExamples(data, targetsFor(data, output.size, output.activation)),
        random,
        ...(ownSplit ? { splitRandom: seededRandom(splitSeed) } : {}),
        ...(protocol.fold === undefined ? {} : { fold: protocol.fold }),
        shuffle: testFraction > 0 || validationFraction > 0,
        trainFraction: 1 - testFraction,
        validationFraction,
        stratify: protocol.stratify,
        ...(data.categories === undefined ? {} : { categories: data.categories }),
        ...(features === undefined ? {} : { features }),
        ...(options.missing === 'mean' ? { impute: true } : {}),
        normalize,
        scaleTargets: normalize && data.task.kind === 'regression',
        hidden: options.layers,
        outputSize: output.size,
        activation: hidden,
        outputActivation: output.activation,
        init: options.init,
        training: settings,
      };
      const shape = experimentShape(plan);
      checkMemory(program, `training a ${shape.join('-')} network`, networkMemory(shape, 'train'));
      const experiment = prepareExperiment(plan);
      const { network } = experiment;
      if (experiment.train.length === 0)
        throw new CliError(`${source} has too few rows to hold out ${testFraction} for testing`);
      if (patience !== undefined && experiment.validation.length === 0)
        throw new CliError(
          `${source} has too few training rows to hold out ${validationFraction} for validation`,
        );
      const quiet = options.quiet === true || options.json === true;
      const untrained = meanLoss(network, experiment.train, output.loss);
      const history = withProgress(io, options.epochs, quiet, (onEpoch) =>
        train(network, experiment.train, {
          ...experiment.trainOptions,
          epochs: options.epochs,
          onEpoch,
        }),
      );
      const scoring = {
        task: data.task,
        loss: output.loss,
        ...(experiment.preprocessing.targets
          ? { targetScaling: experiment.preprocessing.targets }
          : {}),
      };
      const metrics: Record<string, Metrics> = {};
      for (const part of ['train', 'validation', 'test'] as const) {
        if (experiment[part].length > 0)
          metrics[part] = taskMetrics(network, experiment[part], scoring);
      }
      // A run that ends worse than it started says so, rather than saving it without a word
      // (the training rows' metrics loss is meanLoss's, from the same compiled function).
      const trained = metrics.train!.loss;
      if (trained > untrained) {
        io.stderr.write(
          `dendrite: warning: the training loss rose from ${untrained.toPrecision(4)} before training to ${trained.toPrecision(4)}: the learning rate (${options.learningRate}) may be too high; try a smaller --learning-rate\n`,
        );
      }
      // Every row counts on a small table: the network saved is trained again on all of them,
      // for the epochs the held-out run kept (the metrics above are the held-out run's).
      const refitEpochs = (history.bestEpoch ?? options.epochs - 1) + 1;
      const saved = protocol.refit
        ? withProgress(io, refitEpochs, quiet, (onEpoch) =>
            refitExperiment(plan, experiment, { epochs: refitEpochs, onEpoch }),
          ).experiment
        : experiment;
      // (with a split of its own, the test rows stayed out of the refit: they test the model saved)
      if (saved !== experiment && ownSplit && saved.test.length > 0)
        metrics.test = taskMetrics(saved.network, saved.test, scoring);
      const training = {
        ...settings,
        epochs: options.epochs,
        init: options.init,
        seed: options.seed,
        ...(ownSplit ? { splitSeed } : {}),
        normalize,
        layers: options.layers,
        ...(protocol.refit ? { refitEpochs } : {}),
      };
      await writeAtomically(
        options.output,
        saved.modelFile(
          { inputs: data.inputNames, targets: data.targetNames },
          {
            task: data.task,
            loss: output.loss,
            training,
            metrics,
            split: {
              seed: splitSeed,
              rows: data.inputs.length,
              ...(loaded.fingerprint === undefined ? {} : { fingerprint: loaded.fingerprint }),
              ...(dataPath === undefined || dataPath === '-' ? {} : { file: resolve(dataPath) }),
              shuffle: plan.shuffle!,
              testFraction,
              validationFraction,
              ...(protocol.stratify ? { stratified: true } : {}),
              ...(protocol.refit ? { refit: true } : {}),
              ...(protocol.refit && ownSplit ? { keepsTest: true } : {}),
              ...(protocol.fold === undefined ? {} : { fold: protocol.fold }),
            },
          },
        ),
      );
      report(io, {
        options,
        data,
        source,
        features,
        experiment,
        output,
        normalize,
        schedule,
        training,
        history,
        metrics,
        ...(protocol.refit ? { refit: { rows: saved.train.length, epochs: refitEpochs } } : {}),
        ...(protocol.fold === undefined ? {} : { fold: protocol.fold }),
        seconds: (performance.now() - started) / 1000,
      });
    },
  );
}

/** Runs `work` with a progress bar of `epochs` epochs fed by its `onEpoch`, stopped however it ends. */
function withProgress<T>(
  io: Io,
  epochs: number,
  quiet: boolean,
  work: (onEpoch: (report: EpochReport) => void) => T,
): T {
  const bar = progress(io, epochs, quiet);
  try {
    return work(({ epoch, trainLoss, testLoss }) => bar.update(epoch + 1, trainLoss, testLoss));
  } finally {
    bar.stop();
  }
}
