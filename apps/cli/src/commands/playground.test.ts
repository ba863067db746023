import { PNG } from 'pngjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, temporaryDirectory } from '../cli.test-helper.js';
import { recordedExperiments } from '@dendrite/fixtures';
import { lectureUrl } from './playground.js';

// Losses computed by the Playground's own code, run outside this repository.
const recorded = recordedExperiments.find((e) => e.url === lectureUrl)!;

let cwd: string;
beforeAll(async () => {
  cwd = await temporaryDirectory();
});

describe('dendrite playground', () => {
  it('replays the lecture’s link: the Playground’s own losses after every epoch, to round-off', async () => {
    const run = await dendrite(
      ['playground', lectureUrl, '--epochs', '300', '--json', '--no-image'],
      { cwd },
    );
    expect(run.code).toBe(0);
    const { epochs } = JSON.parse(run.stdout) as {
      epochs: { epoch: number; trainLoss: number; testLoss: number }[];
    };
    expect(epochs).toHaveLength(301);
    const expected = [
      recorded.initialLoss,
      ...recorded.trainLoss.map((train, i) => ({ train, test: recorded.testLoss[i]! })),
    ];
    epochs.forEach(({ epoch, trainLoss, testLoss }) => {
      expect(epoch).toBe(epochs.indexOf(epochs[epoch]!));
      expect(Math.abs(trainLoss - expected[epoch]!.train)).toBeLessThanOrEqual(
        1e-13 * expected[epoch]!.train,
      );
      expect(Math.abs(testLoss - expected[epoch]!.test)).toBeLessThanOrEqual(
        1e-13 * expected[epoch]!.test,
      );
    });
  });

  it('prints the losses as the page shows them and saves the decision boundary', async () => {
    const run = await dendrite(['playground', lectureUrl, '--epochs', '3', '--png', 'xor.png'], {
      cwd,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'data      xor, noise 40, 60% to train: 300 train / 200 test points',
    );
    const shown = (x: number) => x.toFixed(3);
    expect(run.stdout).toContain(
      `Epoch 000,003  Test loss ${shown(recorded.testLoss[2]!)}  Training loss ${shown(recorded.trainLoss[2]!)}`,
    );
    const png = PNG.sync.read(await readFile(join(cwd, 'xor.png')));
    // The 400 × 400 map, with room for the axes: 30 px on the left, 20 below, 8 elsewhere.
    expect([png.width, png.height]).toEqual([438, 428]);
    const pixel = (x: number, y: number) => [
      ...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3),
    ];
    // The map is translucent over white (alpha 160: every channel ≥ 95); the top-left corner
    // of xor's map has no point on it.
    expect(Math.min(...pixel(31, 9))).toBeGreaterThanOrEqual(95);
    // Axis ticks and labels: ink in the margin below the map and left of it, none elsewhere in it.
    const inkIn = (x0: number, x1: number, y0: number, y1: number) => {
      let ink = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(x, y)[0]! < 128) ink++;
      return ink;
    };
    expect(inkIn(30, 430, 409, 428)).toBeGreaterThan(100);
    expect(inkIn(0, 29, 8, 408)).toBeGreaterThan(100);
    expect(inkIn(30, 438, 0, 7)).toBe(0);
  });

  it('draws a terminal heat map and saves a model that predicts', async () => {
    const url =
      '#dataset=circle&seed=0.5&x=true&y=true&xSquared=true&ySquared=true&learningRate=0.1';
    const run = await dendrite(
      ['playground', url, '--epochs', '50', '--heatmap', '--no-image', '--save', 'circle.json'],
      {
        cwd,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\x1b[38;2;');
    const inside = await dendrite(['predict', 'circle.json', '0,0', '--json'], { cwd });
    const outside = await dendrite(['predict', 'circle.json', '5,0', '--json'], { cwd });
    expect(JSON.parse(inside.stdout).predictions[0].output[0]).toBeGreaterThan(0);
    expect(JSON.parse(outside.stdout).predictions[0].output[0]).toBeLessThan(0);
  });

  it('trains on through NaN as the page does, and will not save a diverged network', async () => {
    const url =
      '#activation=sigmoid&batchSize=17&problem=regression&learningRate=3&networkShape=7,7,4&seed=0.52628&y=true&ySquared=true&sinX=true&sinY=true&x=false&regularization=L2&regularizationRate=1&percTrainData=70&noise=10';
    const run = await dendrite(
      ['playground', url, '--epochs', '6', '--no-image', '--save', 'nan.json'],
      { cwd },
    );
    expect(run.stdout).toContain('Epoch 000,006  Test loss NaN  Training loss NaN');
    expect(run.stderr).toMatch(
      /^dendrite: cannot save a network whose w\d+ is NaN: a model file holds finite numbers only/,
    );
    expect(run.code).toBe(1);
  });

  it('picks a seed when the URL has none, and says so', async () => {
    const run = await dendrite(['playground', '#dataset=gauss', '--epochs', '1', '--no-image'], {
      cwd,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/seed 0\.\d{5} \(the URL has no seed/);
  });

  it.each([
    [
      ['playground', '#dataset=moons'],
      'in the Playground URL: dataset=moons is not one of circle, xor, gauss, spiral',
    ],
    [['playground', '#seed=1', '--seed', '2'], 'the URL already sets seed=1'],
    [['playground', lectureUrl, '--epochs', 'many'], "--epochs <n>' argument 'many' is invalid"],
    [['playground', 'not a url'], '"not a url" is not a key=value pair; give a Playground URL'],
  ])('fails clearly: %j', async (args, message) => {
    expectFailure(await dendrite(args, { cwd }), 2, message);
  });

  it.each([
    [['playground', '#networkShape=1000000000'], /the 2-1000000000-1 network would need about/],
    [
      ['playground', '#networkShape=1000000000', '--max-memory', '1e12'],
      /would need about .* GB of memory, more than Node's heap of .*NODE_OPTIONS=--max-old-space-size=\d+/,
    ],
  ])('refuses what would not fit in memory, before allocating: %j', async (args, message) => {
    expectFailure(await dendrite(args, { cwd }), 1, message);
  });
});
