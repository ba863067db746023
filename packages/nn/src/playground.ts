import { playgroundData, type Example } from './data.js';
import { prepareExperiment, type Experiment, type ExperimentPlan } from './experiment.js';
import type { PlaygroundSettings } from './playground-url.js';
import { seededRandom } from './random.js';

/** A Playground experiment ready to train: its settings, and its split, network and options. */
export interface PlaygroundExperiment extends Experiment {
  settings: PlaygroundSettings & { seed: string };
}

/**
 * The plan of an experiment as the Playground page sets it up: the stream seeded with `seed`, the
 * data it generates from it (500 points, or 1200 for regression; or the `points` given), shuffled
 * and split, the enabled features, then the network with its weights drawn from the same stream,
 * trained as the page trains (half squared error, carried partial batches, on through NaN).
 */
export function playgroundPlan(
  settings: PlaygroundSettings & { seed: string },
  points?: readonly Example[],
): ExperimentPlan {
  const random = seededRandom(settings.seed);
  const regression = settings.problem === 'regression';
  const data =
    points ??
    playgroundData(regression ? settings.regDataset : settings.dataset, {
      noise: settings.noise / 100,
      random,
    });
  const { regularization, regularizationRate } = settings;
  return {
    data,
    random,
    trainFraction: settings.percTrainData / 100,
    features: settings.features,
    hidden: settings.networkShape,
    activation: settings.activation,
    outputActivation: regression ? 'linear' : 'tanh',
    init: settings.initZero ? 'zero' : 'playground',
    biasFirst: true,
    training: {
      learningRate: settings.learningRate,
      batchSize: settings.batchSize,
      loss: 'halfSquaredError',
      partialBatch: 'carry',
      stopOnNonFinite: false, // the page trains on through NaN
      ...(regularization === 'none'
        ? {}
        : {
            regularization: {
              kind: regularization === 'L1' ? 'l1' : 'l2',
              rate: regularizationRate,
            },
          }),
    },
  };
}

/**
 * Sets up an experiment as the Playground page does on load (see `playgroundPlan`). Training it
 * with `trainOptions` then gives the page's losses after every epoch, bit for bit.
 */
export function playgroundExperiment(
  settings: PlaygroundSettings & { seed: string },
): PlaygroundExperiment {
  return { settings, ...prepareExperiment(playgroundPlan(settings)) };
}
