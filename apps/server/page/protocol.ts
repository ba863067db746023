import type { Domain, Example, PlaygroundSettings } from '@dendrite/nn';

/** An experiment the worker sets up: the page's settings with a seed, and the user's CSV points if any. */
export interface Setup {
  settings: PlaygroundSettings & { seed: string };
  /** Points (x, y) → label loaded from a CSV file, used instead of the generated data set. */
  points?: Example[];
  /** The classes of those points' labels (more than two: a softmax output, one per class). */
  classes?: string[];
  /** The CSV columns the points came from, for the model file: x, y, then the label. */
  columns?: [string, string, string];
}

/** What the page asks the worker. */
export type Request =
  | { type: 'setup'; setup: Setup }
  | { type: 'step'; epochs: number }
  | { type: 'learningRate'; value: number }
  | { type: 'setWeight'; label: string; value: number }
  | { type: 'formula'; node: string; weight: string }
  | { type: 'export' };

/** The network's state after a setup or a step: what the page draws. */
export interface Snapshot {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** The box the picture shows: [-6, 6]², or the user's points' own. */
  domain: Domain;
  /** The output over the 100 × 100 grid on the domain, top row first (for classes: the winner's probability). */
  output: Float64Array;
  /** For more than two classes: the class that wins in each cell of the grid. */
  regions?: Uint8Array;
  /** Each neuron's output (h1, …, o1) over a 10 × 10 grid, for its thumbnail. */
  thumbnails: Record<string, Float64Array>;
  /** Every weight and bias by its label (w1, b1, …). */
  parameters: Record<string, number>;
  /** Layer sizes, inputs first. */
  shape: number[];
}

/** What the worker answers. */
export type Response =
  | { type: 'ready'; snapshot: Snapshot; points: { train: Example[]; test: Example[] } }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'edited'; snapshot: Snapshot }
  | {
      type: 'formula';
      node: string;
      formula: string;
      weight: string;
      gradient: string;
      /** What names in the formulas stand for (a softmax layer's parts), as LaTeX lines. */
      where: string[];
    }
  | { type: 'model'; text: string; sample: { input: number[]; output: number } }
  | { type: 'error'; message: string };
