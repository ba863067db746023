import {
  experimentShape,
  networkMemory,
  prepareExperiment,
  seededRandom,
  taskMetrics,
  train,
  type ExperimentPlan,
  type Metrics,
  type TrainResult,
} from '@dendrite/nn';
import type { Command } from 'commander';
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
      const testFraction = options.testSplit ?? (options.dataset === 'lecture' ? 0 : 0.2);
      if (options.patience !== undefined && options.validationSplit === 0) {
        throw new CliError(
          '--patience watches held-out rows: give a --validation-split above 0',
          2,
        );
      }
      const validationFraction =
        options.validationSplit ?? (options.patience === undefined ? 0 : 0.1);
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
        ...(options.patience === undefined ? {} : { patience: options.patience }),
      };
      const plan: ExperimentPlan = {
        data: toExamples(data.inputs, targetsFor(data, output.size, output.activation)),
        random,
        shuffle: testFraction > 0 || validationFraction > 0,
        trainFraction: 1 - testFraction,
        validationFraction,
        ...(features === undefined ? {} : { features }),
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
      if (options.patience !== undefined && experiment.validation.length === 0)
        throw new CliError(
          `${source} has too few training rows to hold out ${validationFraction} for validation`,
        );
      const bar = progress(io, options.epochs, options.quiet === true || options.json === true);
      let history: TrainResult;
      try {
        history = train(network, experiment.train, {
          ...experiment.trainOptions,
          epochs: options.epochs,
          onEpoch: ({ epoch, trainLoss, testLoss }) => bar.update(epoch + 1, trainLoss, testLoss),
        });
      } finally {
        bar.stop();
      }
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
      const training = {
        ...settings,
        epochs: options.epochs,
        init: options.init,
        seed: options.seed,
        normalize,
        layers: options.layers,
      };
      await writeAtomically(
        options.output,
        experiment.modelFile(
          { inputs: data.inputNames, targets: data.targetNames },
          {
            task: data.task,
            loss: output.loss,
            training,
            metrics,
            split: {
              seed: options.seed,
              rows: data.inputs.length,
              ...(loaded.fingerprint === undefined ? {} : { fingerprint: loaded.fingerprint }),
              shuffle: plan.shuffle!,
              testFraction,
              validationFraction,
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
        seconds: (performance.now() - started) / 1000,
      });
    },
  );
}
