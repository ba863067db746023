import { describe, expect, it } from 'vitest';
import {
  accuracy,
  fitNormalization,
  lectureData,
  Network,
  normalize,
  playgroundData,
  playgroundDatasets,
  split,
  toFeatures,
  train,
  type Example,
} from './index.js';

const labels = (data: Example[]) => new Set(data.map((e) => e.target));
const radius = (e: Example) => Math.hypot(e.input[0]!, e.input[1]!);

describe('the Playground generators', () => {
  it.each(playgroundDatasets)(
    '%s: the Playground sizes, points in [-6, 6]², the same data for the same seed',
    (name) => {
      const data = playgroundData(name, { seed: 5, noise: 0.2 });
      expect(data).toHaveLength(name.startsWith('reg-') ? 1200 : 500);
      for (const { input } of data)
        for (const v of input) expect(Math.abs(v)).toBeLessThanOrEqual(6.5);
      expect(playgroundData(name, { seed: 5, noise: 0.2 })).toEqual(data);
      expect(playgroundData(name, { seed: 6, noise: 0.2 })).not.toEqual(data);
      expect(playgroundData(name, { samples: 40, seed: 5 })).toHaveLength(40);
    },
  );

  it('label classification sets ±1, reg-gauss within [-1, 1] and reg-plane within [-1.2, 1.2]', () => {
    for (const name of ['circle', 'xor', 'gauss', 'spiral'] as const) {
      expect(labels(playgroundData(name))).toEqual(new Set([1, -1]));
    }
    // The Playground maps x + y in [-10, 10] to [-1, 1] without clamping, and |x + y| reaches 12.
    for (const { target } of playgroundData('reg-plane'))
      expect(Math.abs(target)).toBeLessThanOrEqual(1.2);
    for (const { target } of playgroundData('reg-gauss'))
      expect(Math.abs(target)).toBeLessThanOrEqual(1);
  });

  it('circle: without noise, +1 exactly inside radius 2.5 and −1 from 3.5 to 5; noise flips some labels', () => {
    const clean = playgroundData('circle');
    for (const e of clean) expect(e.target).toBe(radius(e) < 2.5 ? 1 : -1);
    for (const e of clean)
      expect(radius(e) <= 2.5 || (radius(e) >= 3.5 && radius(e) <= 5)).toBe(true);
    const noisy = playgroundData('circle', { noise: 0.5 });
    expect(noisy.filter((e) => e.target !== (radius(e) < 2.5 ? 1 : -1)).length).toBeGreaterThan(0);
  });

  it('xor: without noise, the label is the sign of x·y and points keep 0.3 from the axes; noise flips some', () => {
    const clean = playgroundData('xor');
    for (const e of clean) {
      expect(e.target).toBe(e.input[0]! * e.input[1]! >= 0 ? 1 : -1);
      expect(Math.min(Math.abs(e.input[0]!), Math.abs(e.input[1]!))).toBeGreaterThanOrEqual(0.3);
    }
    const noisy = playgroundData('xor', { noise: 0.5 });
    expect(
      noisy.filter((e) => e.target !== (e.input[0]! * e.input[1]! >= 0 ? 1 : -1)).length,
    ).toBeGreaterThan(0);
  });

  it('gauss: half +1 around (2, 2), half −1 around (−2, −2); noise widens the blobs (variance 0.5 → 4)', () => {
    const spread = (noise: number) => {
      const positives = playgroundData('gauss', { noise, samples: 4000 }).filter(
        (e) => e.target === 1,
      );
      expect(positives).toHaveLength(2000);
      return positives.reduce((s, e) => s + (e.input[0]! - 2) ** 2, 0) / positives.length;
    };
    expect(spread(0)).toBeCloseTo(0.5, 1);
    expect(spread(0.5)).toBeCloseTo(4, 0);
  });

  it('spiral: without noise, points lie on two arms of radius up to 5; noise jitters them', () => {
    const clean = playgroundData('spiral');
    expect(clean.filter((e) => e.target === 1)).toHaveLength(250);
    for (const e of clean) expect(radius(e)).toBeLessThan(5);
    const noisy = playgroundData('spiral', { noise: 0.5 });
    expect(noisy.some((e, i) => e.input[0] !== clean[i]!.input[0])).toBe(true);
  });

  it('reg-plane: without noise the label is (x + y) / 10', () => {
    for (const e of playgroundData('reg-plane'))
      expect(e.target).toBeCloseTo((e.input[0]! + e.input[1]!) / 10, 12);
  });

  it('reg-gauss: labels peak at ±1 at the six centres and fade to 0 two units away', () => {
    const data = playgroundData('reg-gauss');
    expect(Math.max(...data.map((e) => Math.abs(e.target)))).toBeGreaterThan(0.9);
    for (const e of data) {
      const near = [
        [-4, 2.5],
        [0, 2.5],
        [4, 2.5],
        [-4, -2.5],
        [0, -2.5],
        [4, -2.5],
      ].some(([cx, cy]) => Math.hypot(e.input[0]! - cx!, e.input[1]! - cy!) < 2);
      if (!near) expect(e.target).toBe(0);
    }
  });

  it('rejects an unknown data set, a bad size or noise out of range', () => {
    expect(() => playgroundData('moons' as 'xor')).toThrow('unknown data set "moons"');
    expect(() => playgroundData('xor', { samples: 0 })).toThrow(/samples/);
    expect(() => playgroundData('xor', { noise: 40 })).toThrow(/noise must be between 0 and 0.5/);
  });

  it.each(['xor', 'circle', 'gauss'] as const)(
    '%s without noise: a 2-8-8-1 tanh network reaches accuracy ≥ 0.95',
    (name) => {
      const data = playgroundData(name, { samples: 300, seed: 11 });
      const network = new Network([2, 8, 8, 1], {
        activation: 'tanh',
        init: 'playground',
        seed: 12,
      });
      train(network, data, {
        epochs: 60,
        learningRate: 0.03,
        batchSize: 10,
        loss: 'halfSquaredError',
      });
      expect(accuracy(network, data)).toBeGreaterThanOrEqual(0.95);
    },
  );
});

describe('features, normalization and splits', () => {
  it("computes the Playground's features in the order asked", () => {
    expect(
      toFeatures([2, 3], ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY']),
    ).toEqual([2, 3, 4, 9, 6, Math.sin(2), Math.sin(3)]);
    expect(() => toFeatures([1, 2], ['cosX' as 'x'])).toThrow('unknown feature "cosX"');
  });

  it('shifts by the mean and scales by the standard deviation', () => {
    const inputs = lectureData.map((e) => e.input);
    const normalization = fitNormalization(inputs);
    expect(normalization.mean).toEqual([6.25, 0.75]);
    const normalized = inputs.map((x) => normalize(x, normalization));
    const column = normalized.map((x) => x[0]!);
    expect(column.reduce((a, b) => a + b)).toBeCloseTo(0, 12);
    expect(column.reduce((a, b) => a + b * b, 0) / column.length).toBeCloseTo(1, 12);
    expect(
      fitNormalization([
        [1, 5],
        [1, 7],
      ]).scale[0],
    ).toBe(1); // a constant column is left unscaled
  });

  it('splits the first fraction off for training, as the Playground does', () => {
    const { train: first, test } = split([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.6);
    expect(first).toEqual([1, 2, 3, 4, 5, 6]);
    expect(test).toEqual([7, 8, 9, 10]);
    expect(() => split([1], 0)).toThrow(/train fraction/);
  });
});
