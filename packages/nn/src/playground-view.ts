// What the Playground page draws, computed as the page computes it: the output's colour, the
// epoch counter, the decision boundary over [-6, 6]² (or the data's own box) and the neurons'
// thumbnail grid; and, beyond the Playground, one colour per class for data of many classes.
import {
  features as allFeatures,
  linearScale,
  toFeatures,
  type Example,
  type Feature,
  type Normalization,
} from './data.js';
import type { Network } from './network.js';

/** The box a picture shows: x from `x[0]` to `x[1]`, y from `y[0]` to `y[1]`. */
export interface Domain {
  x: [number, number];
  y: [number, number];
}

/** The Playground's picture, [-6, 6]². */
export const playgroundDomain: Domain = { x: [-6, 6], y: [-6, 6] };

/**
 * The box to draw points in: the Playground's [-6, 6]² when they all fit in it, else their own
 * bounding box with a twentieth of its size as a margin on every side, so no point is off it.
 */
export function viewDomain(points: readonly Example[]): Domain {
  if (insidePlayground(points)) return structuredClone(playgroundDomain);
  const xs = points.map((p) => p.input[0]!);
  const ys = points.map((p) => p.input[1]!);
  const range = (values: number[]): [number, number] => {
    const [low, high] = [Math.min(...values), Math.max(...values)];
    const margin = high > low ? (high - low) / 20 : 1;
    return [low - margin, high + margin];
  };
  return { x: range(xs), y: range(ys) };
}

/** True if every point (x, y) lies in the Playground's [-6, 6]². */
export function insidePlayground(points: readonly Example[]): boolean {
  return points.every(({ input: [x, y] }) => Math.abs(x!) <= 6 && Math.abs(y!) <= 6);
}

/**
 * A colour per class, for data of more than two classes (the Okabe–Ito palette, which stays
 * distinguishable with the common colour-vision deficiencies), as `[red, green, blue]`; paler
 * towards white as `strength` falls from 1 to 0.
 */
export function classColor(index: number, strength = 1): [number, number, number] {
  const base = palette[index % palette.length]!;
  const t = Math.max(0, Math.min(1, strength));
  return base.map((c) => Math.round(255 + (c - 255) * t)) as [number, number, number];
}

const palette = [
  [0xe6, 0x9f, 0x00],
  [0x56, 0xb4, 0xe9],
  [0x00, 0x9e, 0x73],
  [0xcc, 0x79, 0xa7],
  [0x00, 0x72, 0xb2],
  [0xd5, 0x5e, 0x00],
  [0xf0, 0xe4, 0x42],
  [0x66, 0x66, 0x66],
];

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

/**
 * Round numbers to mark an axis from `low` to `high` with, about `count` of them: steps of 1, 2
 * or 5 times a power of ten, as d3's ticks (and so the Playground's axes) choose them.
 */
export function axisTicks(low: number, high: number, count = 6): number[] {
  if (!(high > low) || !Number.isFinite(high - low)) return [low];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = power * ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10);
  const ticks: number[] = [];
  for (let i = Math.ceil(low / step); i * step <= high + step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
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
 * The centre of cell (`row`, `column`) of a `density` × `density` grid over the domain (default
 * [-6, 6]²), top row first: where the page's neuron thumbnails sample (10 × 10).
 */
export function thumbnailPoint(
  row: number,
  column: number,
  density = 10,
  { x: [x0, x1], y: [y0, y1] }: Domain = playgroundDomain,
): [number, number] {
  return [x0 + ((x1 - x0) * (column + 0.5)) / density, y1 - ((y1 - y0) * (row + 0.5)) / density];
}

/** Where a picture's grid is: its cells and the domain they cover; and the inputs' normalization, if any. */
interface GridOptions {
  density?: number;
  domain?: Domain;
  normalization?: Normalization;
}

/**
 * The network's output over the Playground's picture: a `density` × `density` grid over the
 * domain (default [-6, 6]²), row by row from the top down, each row from the left rightwards.
 */
export function decisionBoundary(
  network: Network,
  chosen: readonly Feature[],
  options: GridOptions = {},
): Float64Array {
  const density = options.density ?? 100;
  const grid = new Float64Array(density * density);
  overGrid(network, chosen, options, (cell, output) => (grid[cell] = output[0]!));
  return grid;
}

/**
 * The class a network of several outputs picks over the picture, cell by cell as
 * `decisionBoundary` lays them out, and how sure it is (the winning output).
 */
export function classRegions(
  network: Network,
  chosen: readonly Feature[],
  options: GridOptions = {},
): { index: Uint8Array; probability: Float64Array } {
  const density = options.density ?? 100;
  const index = new Uint8Array(density * density);
  const probability = new Float64Array(density * density);
  overGrid(network, chosen, options, (cell, output) => {
    let best = 0;
    for (let i = 1; i < output.length; i++) if (output[i]! > output[best]!) best = i;
    index[cell] = best;
    probability[cell] = output[best]!;
  });
  return { index, probability };
}

/** Calls `visit` with the network's outputs at every cell of the grid. */
function overGrid(
  network: Network,
  chosen: readonly Feature[],
  { density = 100, domain = playgroundDomain, normalization }: GridOptions,
  visit: (cell: number, output: Float64Array) => void,
): void {
  const x = linearScale(0, density - 1, domain.x[0], domain.x[1]);
  const y = linearScale(density - 1, 0, domain.y[0], domain.y[1]);
  toFeatures([0, 0], chosen); // checks the names
  const featureOf = chosen.map((name) => allFeatures[name]);
  const input = new Float64Array(chosen.length);
  const out = new Float64Array(network.outputSize);
  const forward = network.forwardFunction();
  for (let row = 0; row < density; row++) {
    for (let column = 0; column < density; column++) {
      for (let k = 0; k < featureOf.length; k++) input[k] = featureOf[k]!(x(column), y(row));
      if (normalization !== undefined) {
        const { mean, scale } = normalization;
        for (let k = 0; k < input.length; k++) input[k] = (input[k]! - mean[k]!) / scale[k]!;
      }
      visit(row * density + column, forward(input, out));
    }
  }
}
