import { normal, type Random } from './random.js';

/** What an initializer knows when it draws one parameter. */
export interface InitContext {
  random: Random;
  /** Inputs of the neuron the parameter belongs to. */
  fanIn: number;
  /** Neurons in that neuron's layer. */
  fanOut: number;
  kind: 'weight' | 'bias';
}

/** Draws the starting value of one weight or bias. */
export type Initializer = (context: InitContext) => number;

/** The built-in initializers. Parameters are drawn neuron by neuron: its weights in input order, then its bias. */
export const initializers = {
  /** N(0, 1) for weights and biases, as the lecture does. */
  normal: ({ random }) => normal(random),
  /** U(-0.5, 0.5) weights and biases of 0.1 (not drawn), as TensorFlow Playground does. */
  playground: ({ random, kind }) => (kind === 'weight' ? random.next() - 0.5 : 0.1),
  /** Xavier/Glorot uniform weights U(±√(6 / (fanIn + fanOut))), biases 0: for tanh and sigmoid. */
  xavier: ({ random, fanIn, fanOut, kind }) =>
    kind === 'weight' ? (2 * random.next() - 1) * Math.sqrt(6 / (fanIn + fanOut)) : 0,
  /** He normal weights N(0, 2 / fanIn), biases 0: for relu. */
  he: ({ random, fanIn, kind }) => (kind === 'weight' ? normal(random, 0, 2 / fanIn) : 0),
  /** Every parameter 0 (the Playground's `initZero`). */
  zero: () => 0,
} satisfies Record<string, Initializer>;

/** The name of a built-in initializer. */
export type InitializerName = keyof typeof initializers;
