import { relu, sigmoid, tanh, type Value } from '@dendrite/autograd';

/** The activations a layer can use: the Playground's four. */
export const activations = {
  sigmoid,
  tanh,
  relu,
  linear: (x: Value): Value => x,
} as const;

/** The name of an activation: `'sigmoid'`, `'tanh'`, `'relu'` or `'linear'`. */
export type Activation = keyof typeof activations;

/** True if `name` names an activation. */
export function isActivation(name: unknown): name is Activation {
  return typeof name === 'string' && Object.hasOwn(activations, name);
}
