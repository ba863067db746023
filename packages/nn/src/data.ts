import { NeuralNetworkError } from './errors.js';
import { normal, seededRandom, uniform, type Random } from './random.js';

/** One labelled sample: the numbers a network sees and the number it should give (one per output, for several). */
export interface Example<Target extends number | number[] = number | number[]> {
  input: number[];
  target: Target;
}

/** An example's target as one number per output. */
export function targetsOf({ target }: Example): readonly number[] {
  return typeof target === 'number' ? [target] : target;
}

/**
 * The lecture's table: weight − 135 lb and height − 66 in, female = 1, male = 0.
 * @example train(lectureNetwork(), lectureData, { epochs: 1000, learningRate: 0.1 })
 */
export const lectureData: readonly (Example<number> & { name: string })[] = [
  { name: 'Alice', input: [-2, -1], target: 1 },
  { name: 'Bob', input: [25, 6], target: 0 },
  { name: 'Charlie', input: [17, 4], target: 0 },
  { name: 'Diana', input: [-15, -6], target: 1 },
];

/** The lecture's two questions: Emily (128 lb, 63 in) and Frank (155 lb, 68 in), shifted like the table. */
export const lectureQueries = { Emily: [-7, -3], Frank: [20, 2] } as const;

/** The TensorFlow Playground's data sets, by the names its URL uses. */
export const playgroundDatasets = [
  'circle',
  'xor',
  'gauss',
  'spiral',
  'reg-plane',
  'reg-gauss',
] as const;

/** The name of a Playground data set. */
export type PlaygroundDataset = (typeof playgroundDatasets)[number];

/** Options for `playgroundData`. */
export interface PlaygroundDataOptions {
  /** How many points (default: 500 for classification, 1200 for regression, as the Playground). */
  samples?: number;
  /** Noise from 0 to 0.5: the URL's `noise` divided by 100 (default 0). */
  noise?: number;
  /** The stream to draw from; or a `seed` for one (default seed 1). */
  random?: Random;
  seed?: string | number;
}

/**
 * Points (x, y) in [-6, 6]² with labels, generated as TensorFlow Playground generates them:
 * ±1 labels for circle, xor, gauss and spiral; labels in [-1, 1] for reg-plane and reg-gauss.
 * Each generator has the Playground's own noise rule. Draws from `random` in the Playground's order.
 */
export function playgroundData(
  name: PlaygroundDataset,
  options: PlaygroundDataOptions = {},
): Example<number>[] {
  const generate = generators[name];
  if (generate === undefined) {
    throw new NeuralNetworkError(
      `unknown data set "${name}"; use ${playgroundDatasets.join(', ')}`,
    );
  }
  const samples = options.samples ?? (name.startsWith('reg-') ? 1200 : 500);
  const noise = options.noise ?? 0;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new NeuralNetworkError(`samples must be a whole number ≥ 1, got ${samples}`);
  }
  if (!(noise >= 0 && noise <= 0.5)) {
    throw new NeuralNetworkError(
      `noise must be between 0 and 0.5 (the URL's noise / 100), got ${noise}`,
    );
  }
  const points = generate(samples, noise, options.random ?? seededRandom(options.seed ?? 1));
  return points.map(([x, y, label]) => ({ input: [x, y], target: label }));
}

type Point = [x: number, y: number, label: number];

/** d3 v3's linear scale, which the Playground uses: maps [d0, d1] onto [r0, r1], optionally clamped.
 * @internal
 */
export function linearScale(d0: number, d1: number, r0: number, r1: number, clamp = false) {
  return (x: number) => {
    let t = (x - d0) / (d1 - d0);
    if (clamp) t = Math.max(0, Math.min(1, t));
    return r0 * (1 - t) + r1 * t;
  };
}

// As the Playground computes it (Math.hypot rounds differently).
const distance = (x: number, y: number, cx: number, cy: number) =>
  Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));

const generators: Record<
  PlaygroundDataset,
  (samples: number, noise: number, random: Random) => Point[]
> = {
  // Label +1 inside radius 2.5, −1 outside; noise moves the point used for the label, not the point.
  circle(samples, noise, random) {
    const radius = 5;
    const points: Point[] = [];
    const ring = (low: number, high: number) => {
      for (let i = 0; i < samples / 2; i++) {
        const r = uniform(random, low, high);
        const angle = uniform(random, 0, 2 * Math.PI);
        const x = r * Math.sin(angle);
        const y = r * Math.cos(angle);
        const noiseX = uniform(random, -radius, radius) * noise;
        const noiseY = uniform(random, -radius, radius) * noise;
        points.push([x, y, distance(x + noiseX, y + noiseY, 0, 0) < radius * 0.5 ? 1 : -1]);
      }
    };
    ring(0, radius * 0.5);
    ring(radius * 0.7, radius);
    return points;
  },
  // Label = sign of x·y, with a 0.3 gap around the axes; noise moves the point used for the label.
  xor(samples, noise, random) {
    const padding = 0.3;
    const points: Point[] = [];
    for (let i = 0; i < samples; i++) {
      let x = uniform(random, -5, 5);
      x += x > 0 ? padding : -padding;
      let y = uniform(random, -5, 5);
      y += y > 0 ? padding : -padding;
      const noiseX = uniform(random, -5, 5) * noise;
      const noiseY = uniform(random, -5, 5) * noise;
      points.push([x, y, (x + noiseX) * (y + noiseY) >= 0 ? 1 : -1]);
    }
    return points;
  },
  // Two Gaussian blobs at (2, 2) (+1) and (−2, −2) (−1); noise widens them (variance 0.5 → 4).
  gauss(samples, noise, random) {
    const variance = linearScale(0, 0.5, 0.5, 4)(noise);
    const points: Point[] = [];
    for (const [center, label] of [
      [2, 1],
      [-2, -1],
    ] as const) {
      for (let i = 0; i < samples / 2; i++) {
        const x = normal(random, center, variance);
        const y = normal(random, center, variance);
        points.push([x, y, label]);
      }
    }
    return points;
  },
  // Two interleaved spirals; noise jitters the points themselves.
  spiral(samples, noise, random) {
    const n = samples / 2;
    const points: Point[] = [];
    for (const [deltaT, label] of [
      [0, 1],
      [Math.PI, -1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const r = (i / n) * 5;
        const t = ((1.75 * i) / n) * 2 * Math.PI + deltaT;
        const x = r * Math.sin(t) + uniform(random, -1, 1) * noise;
        const y = r * Math.cos(t) + uniform(random, -1, 1) * noise;
        points.push([x, y, label]);
      }
    }
    return points;
  },
  // Label (x + y) / 10, a tilted plane; noise moves the point used for the label.
  'reg-plane'(samples, noise, random) {
    const label = linearScale(-10, 10, -1, 1);
    return regressionPoints(samples, noise, random, (x, y) => label(x + y));
  },
  // Six signed bumps; the label is the strongest bump at the (noise-moved) point.
  'reg-gauss'(samples, noise, random) {
    const strength = linearScale(0, 2, 1, 0, true);
    const bumps = [
      [-4, 2.5, 1],
      [0, 2.5, -1],
      [4, 2.5, 1],
      [-4, -2.5, -1],
      [0, -2.5, 1],
      [4, -2.5, -1],
    ] as const;
    const label = (x: number, y: number) => {
      let strongest = 0;
      for (const [cx, cy, sign] of bumps) {
        const value = sign * strength(distance(x, y, cx, cy));
        if (Math.abs(value) > Math.abs(strongest)) strongest = value;
      }
      return strongest;
    };
    return regressionPoints(samples, noise, random, label);
  },
};

/** Uniform points in [-6, 6]², labelled at a point moved by the noise, as both regression sets are. */
function regressionPoints(
  samples: number,
  noise: number,
  random: Random,
  label: (x: number, y: number) => number,
): Point[] {
  const radius = 6;
  const points: Point[] = [];
  for (let i = 0; i < samples; i++) {
    const x = uniform(random, -radius, radius);
    const y = uniform(random, -radius, radius);
    const noiseX = uniform(random, -radius, radius) * noise;
    const noiseY = uniform(random, -radius, radius) * noise;
    points.push([x, y, label(x + noiseX, y + noiseY)]);
  }
  return points;
}

/** The Playground's input features of a point (x, y), in the order its page lists them. */
export const features = {
  x: (x: number) => x,
  y: (_x: number, y: number) => y,
  xSquared: (x: number) => x * x,
  ySquared: (_x: number, y: number) => y * y,
  xTimesY: (x: number, y: number) => x * y,
  sinX: (x: number) => Math.sin(x),
  sinY: (_x: number, y: number) => Math.sin(y),
} as const;

/** The name of a Playground feature, as its URL names it. */
export type Feature = keyof typeof features;

/** The chosen features of a point (x, y), e.g. `toFeatures([1, 2], ['x', 'y', 'xTimesY'])` → `[1, 2, 2]`. */
export function toFeatures([x, y]: readonly number[], chosen: readonly Feature[]): number[] {
  return chosen.map((name) => {
    const feature = features[name];
    if (feature === undefined) {
      throw new NeuralNetworkError(
        `unknown feature "${name}"; use ${Object.keys(features).join(', ')}`,
      );
    }
    return feature(x!, y!);
  });
}

/** How to shift and scale each input: (x − mean) / scale. Travels with a model. */
export interface Normalization {
  mean: number[];
  scale: number[];
}

/** The mean and standard deviation of each input column (a constant column gets scale 1). */
export function fitNormalization(inputs: readonly (readonly number[])[]): Normalization {
  if (inputs.length === 0) throw new NeuralNetworkError('cannot fit a normalization to no data');
  const columns = inputs[0]!.length;
  const mean = Array.from(
    { length: columns },
    (_, j) => inputs.reduce((s, row) => s + row[j]!, 0) / inputs.length,
  );
  const scale = mean.map((m, j) => {
    const variance = inputs.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / inputs.length;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  return { mean, scale };
}

/** An input shifted by the mean and divided by the scale. */
export function normalize(input: readonly number[], { mean, scale }: Normalization): number[] {
  return input.map((x, j) => (x - mean[j]!) / scale[j]!);
}

/** Scaled numbers mapped back to their own units, x · scale + mean: undoes `normalize`. */
export function denormalize(scaled: readonly number[], { mean, scale }: Normalization): number[] {
  return scaled.map((x, j) => x * scale[j]! + mean[j]!);
}

/** The first `trainFraction` of the examples to train on and the rest to test on (as the Playground splits). */
export function split<T>(examples: readonly T[], trainFraction: number): { train: T[]; test: T[] } {
  checkTrainFraction(trainFraction);
  const cut = Math.floor(examples.length * trainFraction);
  return { train: examples.slice(0, cut), test: examples.slice(cut) };
}

/** @internal Throws a `NeuralNetworkError` unless the fraction to train on is in (0, 1]. */
export function checkTrainFraction(trainFraction: number): void {
  if (!(trainFraction > 0 && trainFraction <= 1)) {
    throw new NeuralNetworkError(`the train fraction must be in (0, 1], got ${trainFraction}`);
  }
}
