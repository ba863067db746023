import { describe, expect, it } from 'vitest';
import { playgroundExperiment } from './playground.js';
import { parsePlaygroundUrl } from './playground-url.js';
import { Network } from './network.js';
import {
  axisTicks,
  boundaryColor,
  classColor,
  classRegions,
  decisionBoundary,
  iterationLabel,
  thumbnailPoint,
  viewDomain,
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

describe('pictures of any data', () => {
  it('keeps [-6, 6]² for points inside it, and boxes other points with a margin', () => {
    expect(viewDomain([{ input: [5, -6], target: 1 }])).toEqual({ x: [-6, 6], y: [-6, 6] });
    const domain = viewDomain([
      { input: [100, 0], target: 1 },
      { input: [300, 10], target: 0 },
    ]);
    expect(domain).toEqual({ x: [90, 310], y: [-0.5, 10.5] });
    expect(viewDomain([{ input: [50, 50], target: 1 }])).toEqual({ x: [49, 51], y: [49, 51] });
  });

  it('samples the grid over the domain it is given', () => {
    const network = new Network([2, 2], {
      activation: 'linear',
      outputActivation: 'softmax',
      seed: 3,
    });
    const domain = { x: [0, 100] as [number, number], y: [10, 20] as [number, number] };
    const { index, probability } = classRegions(network, ['x', 'y'], { density: 2, domain });
    const corner = network.predict([0, 20]);
    expect(probability[0]).toBe(Math.max(...corner));
    expect(index[0]).toBe(corner.indexOf(Math.max(...corner)));
    expect(decisionBoundary(network, ['x', 'y'], { density: 2, domain })[3]).toBe(
      network.predict([100, 10])[0],
    );
    expect(thumbnailPoint(0, 0, 2, domain)).toEqual([25, 17.5]);
  });

  it('gives each class its own colour, paler when less sure', () => {
    const colours = Array.from({ length: 8 }, (_, i) => classColor(i).join());
    expect(new Set(colours).size).toBe(8);
    expect(classColor(0, 0)).toEqual([255, 255, 255]);
    expect(classColor(9)).toEqual(classColor(1));
  });
});

describe('axisTicks', () => {
  it('marks an axis at round numbers, as the Playground’s axes do', () => {
    expect(axisTicks(-6, 6)).toEqual([-6, -4, -2, 0, 2, 4, 6]);
    expect(axisTicks(90, 310)).toEqual([100, 150, 200, 250, 300]);
    expect(axisTicks(0, 0.37, 4)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(axisTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(3, 3)).toEqual([3]);
  });
});
