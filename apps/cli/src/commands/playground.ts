import {
  dataMemory,
  decisionBoundary,
  iterationLabel,
  networkMemory,
  meanLoss,
  NeuralNetworkError,
  parsePlaygroundUrl,
  playgroundExperiment,
  train,
  type PlaygroundSettings,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { boundaryPng, boundaryText } from '../heatmap.js';
import { writeAtomically, type Io } from '../io.js';
import { checkMemory } from '../memory.js';
import { wholeNumber } from '../options.js';
import { json } from '../text.js';

interface PlaygroundOptions {
  epochs: number;
  seed?: string;
  image: string | false;
  png?: string;
  heatmap?: boolean;
  save?: string;
  json?: boolean;
}

/** The lecture's Playground link. */
export const lectureUrl =
  'https://playground.tensorflow.org/#activation=tanh&batchSize=30&dataset=xor&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=40&networkShape=4,2&seed=0.05981&showTestData=false&discretize=false&percTrainData=60&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false';

/** `dendrite playground`: replays a TensorFlow Playground URL, epoch by epoch, as the page would. */
export function registerPlayground(program: Command, io: Io): void {
  program
    .command('playground')
    .summary('replay a TensorFlow Playground URL exactly, epoch by epoch')
    .description(
      'Replays a TensorFlow Playground experiment from its URL: the same data points, split and' +
        " starting weights (drawn from the URL's seed with seedrandom, in the page's order) and the same" +
        " updates, so the test and training loss after every epoch equal the page's bit for bit. Prints" +
        ' them as the page shows them and saves the decision boundary as a PNG image.',
    )
    .argument(
      '<url>',
      'a playground.tensorflow.org URL (quote it: it contains &), or just its #hash',
    )
    .option(
      '-e, --epochs <n>',
      'epochs to run (the page calls them iterations)',
      wholeNumber(0),
      100,
    )
    .option('--seed <seed>', 'the seed, when the URL has none (the page would pick a random one)')
    .option(
      '--image <file>',
      'where to save the decision boundary (translucent over white, with axis ticks, as the Playground draws it)',
      'boundary.png',
    )
    .option('--png <file>', 'the same as --image')
    .option('--no-image', 'do not save the decision boundary')
    .option('--heatmap', 'also draw the decision boundary in the terminal')
    .option('--save <file>', 'save the trained network as a dendrite model file')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite playground '${lectureUrl}'
  $ dendrite playground '#dataset=spiral&networkShape=8,8&x=true&y=true&sinX=true&sinY=true&seed=0.1' --epochs 500 --heatmap
  $ dendrite playground '#dataset=circle&seed=0.5' --save circle.json && dendrite predict circle.json 0,0`,
    )
    .action(async (url: string, options: PlaygroundOptions) => {
      let parsed: PlaygroundSettings;
      try {
        parsed = parsePlaygroundUrl(url);
      } catch (error) {
        if (error instanceof NeuralNetworkError) throw new CliError(error.message, 2);
        throw error;
      }
      if (parsed.seed !== undefined && options.seed !== undefined && options.seed !== parsed.seed) {
        throw new CliError(
          `the URL already sets seed=${parsed.seed}; leave out --seed or the URL's seed`,
          2,
        );
      }
      let seed = parsed.seed ?? options.seed;
      const seedNote =
        seed === undefined
          ? 'the URL has no seed, so one was picked at random (as the page does); pass --seed to repeat it'
          : undefined;
      seed ??= Math.random().toFixed(5);
      const shape = [parsed.features.length, ...parsed.networkShape, 1];
      checkMemory(program, `the ${shape.join('-')} network`, networkMemory(shape, 'train'));
      const points = parsed.problem === 'regression' ? 1200 : 500;
      checkMemory(program, `${points} points`, dataMemory(points, 2 + parsed.features.length));
      const experiment = playgroundExperiment({ ...parsed, seed });
      const { settings, network } = experiment;
      const epochs: { epoch: number; trainLoss: number; testLoss: number }[] = [];
      const record = (epoch: number, trainLoss: number, testLoss: number) => {
        epochs.push({ epoch, trainLoss, testLoss });
        if (!options.json) io.stdout.write(`${pageLine(epoch, trainLoss, testLoss)}\n`);
      };

      if (!options.json) {
        const data = settings.problem === 'regression' ? settings.regDataset : settings.dataset;
        io.stdout.write(
          [
            `TensorFlow Playground, seed ${seed}${seedNote ? ` (${seedNote})` : ''}`,
            `data      ${data}, noise ${settings.noise}, ${settings.percTrainData}% to train: ${experiment.train.length} train / ${experiment.test.length} test points`,
            `features  ${settings.features.join(', ')}`,
            `network   ${network.shape.join('-')}, ${settings.activation}${settings.networkShape.length ? '' : ' (no hidden layer)'}, ${settings.problem === 'regression' ? 'linear' : 'tanh'} output${settings.initZero ? ', all weights 0' : ''}`,
            `training  learning rate ${settings.learningRate}, batch size ${settings.batchSize}, regularization ${settings.regularization}${settings.regularization === 'none' ? '' : ` ${settings.regularizationRate}`}`,
            '',
          ].join('\n') + '\n',
        );
      }
      const loss = 'halfSquaredError';
      record(
        0,
        meanLoss(network, experiment.train, loss),
        meanLoss(network, experiment.test, loss),
      );
      train(network, experiment.train, {
        ...experiment.trainOptions,
        epochs: options.epochs,
        onEpoch: ({ epoch, trainLoss, testLoss }) => record(epoch + 1, trainLoss, testLoss ?? NaN),
      });

      const grid = decisionBoundary(network, settings.features);
      const shown = {
        train: experiment.points.train,
        test: settings.showTestData ? experiment.points.test : [],
      };
      if (options.png !== undefined) options.image = options.png;
      if (options.image !== false) {
        await writeAtomically(
          options.image,
          boundaryPng(grid, 100, shown, { discretize: settings.discretize }),
        );
      }
      if (options.save !== undefined) {
        await writeAtomically(
          options.save,
          experiment.modelFile({ inputs: ['x', 'y'], targets: ['label'] }),
        );
      }
      if (options.json) {
        io.stdout.write(
          json({ settings, epochs, image: options.image || undefined, model: options.save }),
        );
        return;
      }
      if (options.heatmap) io.stdout.write(`\n${boundaryText(grid, 100, 50, settings.discretize)}`);
      const saved = [options.image, options.save].filter((file) => typeof file === 'string');
      if (saved.length > 0) io.stdout.write(`\nsaved ${saved.join(' and ')}\n`);
    });
}

/** One epoch as the page shows it: the zero-padded iteration and both losses to 3 decimals. */
function pageLine(epoch: number, trainLoss: number, testLoss: number): string {
  return `Epoch ${iterationLabel(epoch)}  Test loss ${testLoss.toFixed(3)}  Training loss ${trainLoss.toFixed(3)}`;
}
