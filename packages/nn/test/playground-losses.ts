import { readFileSync } from 'node:fs';

/** One TensorFlow Playground experiment as the Playground's own code ran it (see the JSON's `about`). */
export interface RecordedExperiment {
  url: string;
  epochs: number;
  trainSize: number;
  testSize: number;
  firstPoint: { x: number; y: number; label: number };
  initialLoss: { train: number; test: number };
  deadLinks: number;
  /** The loss after each epoch, on the training and the test points. */
  trainLoss: number[];
  testLoss: number[];
}

/** The recorded experiments, the lecture's link first (JSON's "NaN" and "Infinity" read back as numbers). */
export const recordedExperiments = (
  JSON.parse(
    readFileSync(new URL('./playground-losses.json', import.meta.url), 'utf8'),
    (_, value) => (value === 'NaN' || value === 'Infinity' ? Number(value) : value),
  ) as { experiments: RecordedExperiment[] }
).experiments;
