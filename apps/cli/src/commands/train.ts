import {
  accuracy,
  activations,
  experimentShape,
  initializers,
  losses,
  networkMemory,
  optimizers,
  prepareExperiment,
  seededRandom,
  train,
  type ExperimentPlan,
} from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { datasetNames, taskOf, toExamples } from '../data.js';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { checkMemory } from '../memory.js';
import { layerSizes, names, numberBetween, positiveNumber, wholeNumber } from '../options.js';
import { progress } from '../progress.js';
import { fixed, json, lossChart, percent } from '../text.js';
import {
  checkActivations,
  checkLoss,
  defaultOutput,
  loadData,
  type TrainCommandOptions,
} from './train-setup.js';

/** `dendrite train`: trains a network on a CSV file or a built-in data set and saves the model. */
export function registerTrain(program: Command, io: Io): void {
  const choice = (
    flags: string,
    description: string,
    values: readonly string[],
    fallback?: string,
  ) => {
    const option = new Option(flags, description).choices(values);
    return fallback === undefined ? option : option.default(fallback);
  };
  program
    .command('train')
    .summary('train a network on a CSV file or a built-in data set, and save the model')
    .description(
      'Trains a fully connected network and saves it as a model file. The data is a CSV file with a' +
        ' header row (the target is the last column unless --target names one; the inputs are the other' +
        " columns unless --features names them) or a built-in data set: the lecture's four people or one" +
        " of TensorFlow Playground's generators. Targets of 0/1 or -1/1 are two classes (accuracy is" +
        ' reported); anything else is regression. A seeded shuffle holds out --test-split of the rows.',
    )
    .argument('[data]', 'a CSV file with a header row ("-" for stdin)')
    .addOption(
      choice('-d, --dataset <name>', 'a built-in data set instead of a file', datasetNames),
    )
    .option(
      '--samples <n>',
      'points to generate (Playground data sets; default 500, or 1200 for reg-*)',
      wholeNumber(1),
    )
    .option(
      '--noise <percent>',
      'noise of a Playground data set, 0–50 as on its page',
      numberBetween(0, 50),
      0,
    )
    .option('-t, --target <column>', 'the CSV column to predict (default: the last)')
    .option(
      '--features <names>',
      'the input CSV columns, or Playground features such as x,y,xSquared',
      names,
    )
    .option('--layers <sizes>', 'hidden layer sizes, e.g. 4,2 ("" for none)', layerSizes, [4, 2])
    .option(
      '--activation <names>',
      'hidden activation, or one per hidden layer: sigmoid, tanh, relu, linear',
      names,
      ['tanh'],
    )
    .addOption(
      choice(
        '--output-activation <name>',
        'output activation (default: sigmoid for 0/1 targets, tanh for -1/1, linear otherwise)',
        Object.keys(activations),
      ),
    )
    .addOption(choice('--init <name>', 'how weights start', Object.keys(initializers), 'xavier'))
    .addOption(choice('--loss <name>', 'the loss to minimise', Object.keys(losses), 'mse'))
    .addOption(choice('--optimizer <name>', 'the update rule', Object.keys(optimizers), 'sgd'))
    .option('--learning-rate <rate>', 'the step size', positiveNumber, 0.03)
    .option('--batch-size <n>', 'examples per update', wholeNumber(1), 10)
    .option('--epochs <n>', 'passes over the training rows', wholeNumber(1), 100)
    .addOption(
      choice('--regularization <kind>', 'a penalty on the weights', ['none', 'l1', 'l2'], 'none'),
    )
    .option('--regularization-rate <rate>', 'its strength', numberBetween(0, 1e6), 0)
    .option('--seed <seed>', 'seed of the data, split, starting weights and shuffles', '1')
    .option('--normalize', 'shift and scale each input by its training mean and standard deviation')
    .option(
      '--test-split <fraction>',
      'rows held out for testing (default 0.2; 0 for the lecture)',
      numberBetween(0, 0.95),
    )
    .option('--shuffle', 'shuffle the training rows every epoch')
    .addOption(
      choice(
        '--partial-batch <what>',
        "a last batch smaller than --batch-size: apply it, or carry it into the next epoch (the Playground's way)",
        ['apply', 'carry'],
        'apply',
      ),
    )
    .addOption(
      choice(
        '--engine <engine>',
        'compiled code, or the graph evaluated step by step (slower; the same numbers)',
        ['compiled', 'eager'],
        'compiled',
      ),
    )
    .option('-o, --output <file>', 'where to save the model', 'model.json')
    .option('-q, --quiet', 'no progress')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite train people.csv --target female --layers 2 --activation sigmoid --epochs 1000 --learning-rate 0.1
  $ dendrite train --dataset spiral --noise 10 --features x,y,sinX,sinY --layers 8,8 --optimizer adam
  $ dendrite train --dataset reg-gauss --layers 6 --normalize --json -o gauss.json`,
    )
    .action(async (dataPath: string | undefined, options: TrainCommandOptions) => {
      const started = performance.now();
      const hidden = checkActivations(options.activation, options.layers.length);
      const random = seededRandom(options.seed);
      const { data, source, features } = await loadData(dataPath, options, random, io, program);
      const task = taskOf(data.targets);
      const outputActivation = options.outputActivation ?? defaultOutput(task);
      checkLoss(options.loss, task, outputActivation);

      const testFraction = options.testSplit ?? (options.dataset === 'lecture' ? 0 : 0.2);
      const plan: ExperimentPlan = {
        data: toExamples(data.inputs, data.targets),
        random,
        shuffle: testFraction > 0,
        trainFraction: 1 - testFraction,
        ...(features === undefined ? {} : { features }),
        normalize: options.normalize === true,
        hidden: options.layers,
        activation: hidden,
        outputActivation,
        init: options.init,
        training: {
          learningRate: options.learningRate,
          batchSize: options.batchSize,
          loss: options.loss,
          optimizer: options.optimizer,
          ...(options.regularization === 'none'
            ? {}
            : {
                regularization: { kind: options.regularization, rate: options.regularizationRate },
              }),
          shuffle: options.shuffle === true,
          partialBatch: options.partialBatch,
          engine: options.engine,
        },
      };
      const shape = experimentShape(plan);
      checkMemory(program, `training a ${shape.join('-')} network`, networkMemory(shape, 'train'));
      const experiment = prepareExperiment(plan);
      const { network, train: trainSet, test: testSet } = experiment;
      if (trainSet.length === 0)
        throw new CliError(`${source} has too few rows to hold out ${testFraction} for testing`);
      const bar = progress(io, options.epochs, options.quiet === true || options.json === true);
      let history: { trainLoss: number[]; testLoss: number[] };
      try {
        history = train(network, trainSet, {
          ...experiment.trainOptions,
          epochs: options.epochs,
          onEpoch: ({ epoch, trainLoss, testLoss }) => bar.update(epoch + 1, trainLoss, testLoss),
        });
      } finally {
        bar.stop();
      }
      await writeAtomically(
        options.output,
        experiment.modelFile({ inputs: data.inputNames, target: data.targetName }),
      );

      const final = {
        trainLoss: history.trainLoss.at(-1)!,
        testLoss: history.testLoss.at(-1),
        trainAccuracy:
          task.kind === 'classification' ? accuracy(network, trainSet, task) : undefined,
        testAccuracy:
          task.kind === 'classification' && testSet.length > 0
            ? accuracy(network, testSet, task)
            : undefined,
      };
      const seconds = (performance.now() - started) / 1000;
      const activationsUsed = network.activations;
      if (options.json) {
        io.stdout.write(
          json({
            model: options.output,
            data: {
              source,
              inputs: data.inputNames,
              target: data.targetName,
              features,
              task: task.kind,
              train: trainSet.length,
              test: testSet.length,
            },
            network: {
              shape: network.shape,
              activations: activationsUsed,
              init: options.init,
              seed: options.seed,
            },
            training: {
              loss: options.loss,
              optimizer: options.optimizer,
              learningRate: options.learningRate,
              batchSize: options.batchSize,
              epochs: options.epochs,
              regularization: options.regularization,
              regularizationRate: options.regularizationRate,
              normalize: options.normalize === true,
            },
            final,
            history,
            seconds,
          }),
        );
        return;
      }
      const color = io.stdout.isTTY === true && !('NO_COLOR' in process.env);
      const kind =
        task.kind === 'classification'
          ? `two classes ${task.classes[0]}/${task.classes[1]}`
          : 'regression';
      const lines = [
        `data      ${source}: ${trainSet.length} rows to train on, ${testSet.length} to test on`,
        `          ${data.inputNames.join(', ')}${features ? ` → features ${features.join(', ')}` : ''} → ${data.targetName} (${kind})`,
        `network   ${network.shape.join('-')}: ${activationsUsed.join(', ')}; ${options.init} init, seed ${options.seed}`,
        `training  ${options.loss} loss, ${options.optimizer}, learning rate ${options.learningRate}, batch size ${options.batchSize}, ${options.epochs} epochs`,
        '',
        lossChart(
          history.testLoss.length > 0 ? [history.trainLoss, history.testLoss] : [history.trainLoss],
          color,
        ),
        `          loss per epoch: train${history.testLoss.length > 0 ? (color ? ', test (blue)' : ' and test') : ''}`,
        '',
        `train  ${options.loss} ${fixed(final.trainLoss, 6)}${final.trainAccuracy === undefined ? '' : `  accuracy ${percent(final.trainAccuracy)}`}`,
      ];
      if (final.testLoss !== undefined) {
        lines.push(
          `test   ${options.loss} ${fixed(final.testLoss, 6)}${final.testAccuracy === undefined ? '' : `  accuracy ${percent(final.testAccuracy)}`}`,
        );
      }
      lines.push(`saved ${options.output} (${seconds.toFixed(1)} s)`);
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
