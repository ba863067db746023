import { describe, expect, it } from 'vitest';
import { experimentShape, prepareExperiment, type ExperimentPlan } from './experiment.js';
import { loadModel } from './model.js';
import { seededRandom } from './random.js';
import { train } from './train.js';

const data = Array.from({ length: 20 }, (_, i) => ({ input: [i, 20 - i], target: i % 2 }));
const plan = (overrides: Partial<ExperimentPlan> = {}): ExperimentPlan => ({
  data,
  random: seededRandom('experiment'),
  trainFraction: 0.75,
  features: ['x', 'y', 'xTimesY'],
  normalize: true,
  hidden: [3],
  activation: 'tanh',
  outputActivation: 'sigmoid',
  training: { learningRate: 0.1, batchSize: 5 },
  ...overrides,
});

describe('prepareExperiment', () => {
  it('shuffles, splits, computes the features and fits the normalization to the training rows', () => {
    const experiment = prepareExperiment(plan());
    const { points, train: examples, test, preprocessing } = experiment;
    expect([points.train.length, points.test.length]).toEqual([15, 5]);
    expect([...points.train, ...points.test].map((e) => e.target).sort()).toEqual(
      data.map((e) => e.target).sort(),
    );
    expect(points.train.map((e) => e.input[0])).not.toEqual([...Array(15).keys()]);
    expect(preprocessing.features).toEqual(['x', 'y', 'xTimesY']);
    // Normalized over the training rows only: their features have mean 0.
    const means = [0, 1, 2].map((k) => examples.reduce((sum, e) => sum + e.input[k]!, 0) / 15);
    for (const mean of means) expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(experiment.trainOptions.test).toBe(test);
    expect(experiment.network.shape).toEqual(experimentShape(plan()));
    expect(experiment.network.shape).toEqual([3, 3, 1]);
  });

  it('repeats exactly for the same stream, and keeps the data in order without a shuffle', () => {
    const first = prepareExperiment(plan());
    const second = prepareExperiment(plan());
    expect(second.points).toEqual(first.points);
    expect(second.network.parameters().map((p) => p.value)).toEqual(
      first.network.parameters().map((p) => p.value),
    );
    const ordered = prepareExperiment(plan({ shuffle: false, trainFraction: 1 }));
    expect(ordered.points.train).toEqual(data);
  });

  it('writes a model file that predicts as the trained network does, from raw inputs', () => {
    const experiment = prepareExperiment(plan());
    train(experiment.network, experiment.train, { ...experiment.trainOptions, epochs: 5 });
    const loaded = loadModel(experiment.modelFile({ inputs: ['a', 'b'], targets: ['odd'] }));
    expect(loaded.names).toEqual({ inputs: ['a', 'b'], targets: ['odd'] });
    expect(loaded.preprocessing).toEqual(experiment.preprocessing);
    for (const { input } of experiment.test) {
      expect(loaded.network.predict(input)).toEqual(experiment.network.predict(input));
    }
  });
});
