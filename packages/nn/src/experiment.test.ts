import { describe, expect, it } from 'vitest';
import {
  experimentShape,
  prepareExperiment,
  dealFolds,
  refitExperiment,
  splitRows,
  type ExperimentPlan,
} from './experiment.js';
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

describe('stratified splits', () => {
  // Three classes of 50, 30 and 7 rows, in blocks, as a sorted file gives them.
  const labels = [...Array(50).fill('a'), ...Array(30).fill('b'), ...Array(7).fill('c')];
  const rows = labels.map((label, i) => ({ i, label }));
  const count = (part: { label: string }[]) =>
    Object.fromEntries(['a', 'b', 'c'].map((c) => [c, part.filter((r) => r.label === c).length]));

  it('give every part its share of every class, each part in the shuffled order', () => {
    const options = { trainFraction: 0.8, validationFraction: 0.2 };
    const parts = splitRows(rows, seededRandom(5), { ...options, stratum: (r) => r.label });
    expect(count(parts.test)).toEqual({ a: 10, b: 6, c: 1 });
    expect(count(parts.validation)).toEqual({ a: 8, b: 5, c: 1 });
    expect(count(parts.train)).toEqual({ a: 32, b: 19, c: 5 });
    const order = splitRows(rows, seededRandom(5), { trainFraction: 1 }).train;
    for (const part of Object.values(parts)) {
      const positions = part.map((row) => order.indexOf(row));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
    // Unstratified, the same stream can leave a class out of a part altogether.
    const plain = Array.from({ length: 20 }, (_, seed) =>
      count(splitRows(rows, seededRandom(seed), options).test),
    );
    expect(plain.some((test) => test.c === 0)).toBe(true);
  });

  it("group an experiment's examples by target", () => {
    const examples = labels.map((label, i) => ({ input: [i], target: 'abc'.indexOf(label) }));
    const experiment = prepareExperiment({
      ...plan({ data: examples, features: undefined, stratify: true }),
      validationFraction: 0.25,
    });
    const share = (part: { target: number | number[] }[]) =>
      [0, 1, 2].map((c) => part.filter((e) => e.target === c).length);
    expect(share(experiment.points.test)).toEqual([13, 8, 2]);
    expect(share(experiment.points.validation)).toEqual([9, 6, 1]);
  });
});

describe('refitExperiment', () => {
  it('trains a fresh network on every row, fitting the normalization to all of them', () => {
    const first = plan({ validationFraction: 0.2 });
    const experiment = prepareExperiment(first);
    const { experiment: all, history } = refitExperiment(first, experiment, { epochs: 3 });
    expect(history.trainLoss).toHaveLength(3);
    expect(all.train).toHaveLength(20);
    expect([all.validation.length, all.test.length]).toEqual([0, 0]);
    expect(all.points.train).toEqual([
      ...experiment.points.train,
      ...experiment.points.validation,
      ...experiment.points.test,
    ]);
    const means = [0, 1, 2].map((k) => all.train.reduce((sum, e) => sum + e.input[k]!, 0) / 20);
    for (const mean of means) expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(all.network).not.toBe(experiment.network);
    // The same plan and stream give the same network, to the bit.
    const again = plan({ validationFraction: 0.2 });
    const repeated = refitExperiment(again, prepareExperiment(again), { epochs: 3 });
    expect(repeated.experiment.modelFile()).toBe(all.modelFile());
  });
});

describe('cross-validation folds', () => {
  const labels = Array.from({ length: 23 }, (_, i) => (i < 15 ? 'a' : 'b'));

  it('deal each stratum round the folds, so every fold has its share', () => {
    const folds = dealFolds(labels, 5, (label) => label);
    const size = (f: number, label: string) =>
      folds.filter((g, i) => g === f && labels[i] === label).length;
    expect([0, 1, 2, 3, 4].map((f) => size(f, 'a'))).toEqual([3, 3, 3, 3, 3]);
    expect([0, 1, 2, 3, 4].map((f) => size(f, 'b')).sort()).toEqual([1, 1, 2, 2, 2]);
    expect(() => dealFolds(labels, 1, () => '')).toThrow(/cannot deal 23 rows into 1 folds/);
    expect(() => dealFolds(labels.slice(0, 3), 4, () => '')).toThrow(/into 4 folds/);
  });

  it('score each fold in turn on the same rows, whatever the weights seed, and leave the test rows out', () => {
    const folded = (index: number, seed: string) =>
      prepareExperiment(
        plan({
          random: seededRandom(seed),
          splitRandom: seededRandom('split'),
          fold: { count: 3, index },
          validationFraction: 0.2,
          stratify: true,
        }),
      ).points;
    const test = prepareExperiment(plan({ splitRandom: seededRandom('split'), stratify: true }))
      .points.test;
    const scored = [0, 1, 2].map((f) => folded(f, 'one').test);
    // The folds cover the rows not held out for testing, each once.
    const seen = scored.flat().map((e) => e.input[0]);
    expect(new Set(seen).size).toBe(20 - test.length);
    for (const e of test) expect(seen).not.toContain(e.input[0]);
    for (const f of [0, 1, 2]) {
      const { train, validation, test: fold } = folded(f, 'one');
      expect(train.length + validation.length + fold.length).toBe(20 - test.length);
      expect(validation.length).toBeGreaterThan(0);
      expect(folded(f, 'two').test).toEqual(fold); // (another weights seed, the same fold)
    }
  });

  it("keep a split stream's test rows out of the refit, to test it", () => {
    const split = plan({ splitRandom: seededRandom('split'), validationFraction: 0.2 });
    const experiment = prepareExperiment(split);
    const { experiment: all } = refitExperiment(split, experiment, { epochs: 2 });
    expect(all.points.test).toEqual(experiment.points.test);
    expect(all.points.train).toEqual([...experiment.points.train, ...experiment.points.validation]);
    expect(all.test).toHaveLength(5);
  });
});
