import { describe, expect, it } from 'vitest';
import { parsePlaygroundUrl, playgroundExperiment } from './playground.js';
import {
  boundaryColor,
  decisionBoundary,
  iterationLabel,
  thumbnailPoint,
} from './playground-view.js';
import { recordedExperiments } from '@dendrite/fixtures';

const experiments = recordedExperiments;

describe('decisionBoundary', () => {
  it('is the output over a grid on [-6, 6]², top row first', () => {
    const settings = parsePlaygroundUrl(experiments[0]!.url);
    const { network } = playgroundExperiment({ ...settings, seed: '1' });
    const grid = decisionBoundary(network, ['x', 'y'], { density: 3 });
    expect(grid).toHaveLength(9);
    expect(grid[0]).toBe(network.predict([-6, 6])[0]);
    expect(grid[5]).toBe(network.predict([6, 0])[0]);
    expect(grid[6]).toBe(network.predict([-6, -6])[0]);
  });
});

describe('boundaryColor', () => {
  it('is the Playground’s orange, grey and blue, and only the sign when discretized', () => {
    expect(boundaryColor(-1)).toEqual([0xf5, 0x93, 0x22]);
    expect(boundaryColor(0)).toEqual([0xe8, 0xea, 0xeb]);
    expect(boundaryColor(5)).toEqual([0x08, 0x77, 0xbd]);
    expect(boundaryColor(0.01, true)).toEqual(boundaryColor(1));
  });
});

describe('iterationLabel', () => {
  it('pads and groups the count as the page’s counter does', () => {
    expect([0, 1, 999, 1000, 1234567].map(iterationLabel)).toEqual([
      '000,000',
      '000,001',
      '000,999',
      '001,000',
      '1,234,567',
    ]);
  });
});

describe('thumbnailPoint', () => {
  it('is the centre of a cell of the grid over [-6, 6]², top row first', () => {
    expect(thumbnailPoint(0, 0)).toEqual([-5.4, 5.4]);
    expect(thumbnailPoint(9, 9)).toEqual([5.4, -5.4]);
    expect(thumbnailPoint(0, 1, 2)).toEqual([3, 3]);
  });
});
