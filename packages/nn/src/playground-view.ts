// What the Playground page draws, computed as the page computes it: the output's colour, the
// epoch counter, the decision boundary over [-6, 6]² and the neurons' thumbnail grid.
import { features as allFeatures, linearScale, toFeatures, type Feature } from './data.js';
import type { Network } from './network.js';

/**
 * The Playground's colour for an output: orange for -1, light grey for 0, blue for +1 (clamped,
 * in its 30 shades), as `[red, green, blue]`; `discretize` shows only the sign, as its toggle does.
 * The pair stays distinguishable with the common colour-vision deficiencies.
 */
export function boundaryColor(value: number, discretize = false): [number, number, number] {
  let t = discretize ? (value >= 0 ? 1 : 0) : (Math.max(-1, Math.min(1, value)) + 1) / 2;
  t = Math.min(shades, Math.floor(t * (shades + 1))) / shades;
  const [from, to, s] = t < 0.5 ? [negative, middle, t * 2] : [middle, positive, t * 2 - 1];
  return from.map((c, i) => Math.round(c + (to[i]! - c) * s)) as [number, number, number];
}

/** An epoch count as the Playground's counter shows it, e.g. 1 → `000,001`. */
export function iterationLabel(epoch: number): string {
  return String(epoch)
    .padStart(6, '0')
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const negative = [0xf5, 0x93, 0x22];
const middle = [0xe8, 0xea, 0xeb];
const positive = [0x08, 0x77, 0xbd];
const shades = 30;

/**
 * The centre of cell (`row`, `column`) of a `density` × `density` grid over [-6, 6]², top row
 * first: where the page's neuron thumbnails sample (10 × 10).
 */
export function thumbnailPoint(row: number, column: number, density = 10): [number, number] {
  return [-6 + (12 * (column + 0.5)) / density, 6 - (12 * (row + 0.5)) / density];
}

/**
 * The network's output over the Playground's picture: a `density` × `density` grid over
 * [-6, 6]², row by row from the top (y = 6) down, each row from x = -6 rightwards.
 */
export function decisionBoundary(
  network: Network,
  chosen: readonly Feature[],
  { density = 100 }: { density?: number } = {},
): Float64Array {
  const x = linearScale(0, density - 1, -6, 6);
  const y = linearScale(density - 1, 0, -6, 6);
  const grid = new Float64Array(density * density);
  toFeatures([0, 0], chosen); // checks the names
  const featureOf = chosen.map((name) => allFeatures[name]);
  const input = new Float64Array(chosen.length);
  const out = new Float64Array(network.outputSize);
  const forward = network.forwardFunction();
  for (let row = 0; row < density; row++) {
    for (let column = 0; column < density; column++) {
      for (let k = 0; k < featureOf.length; k++) input[k] = featureOf[k]!(x(column), y(row));
      grid[row * density + column] = forward(input, out)[0]!;
    }
  }
  return grid;
}
