import { relu, sigmoid, tanh, type Value } from '@dendrite/autograd';

/** The activations of one neuron: the Playground's four. */
export const activations = {
  sigmoid,
  tanh,
  relu,
  linear: (x: Value): Value => x,
} as const;

/** The name of a neuron's activation: `'sigmoid'`, `'tanh'`, `'relu'` or `'linear'`. */
export type Activation = keyof typeof activations;

/**
 * A layer's activation: one of a neuron's, or `'softmax'`, which turns the layer's linear outputs
 * (its logits) into probabilities that sum to 1 (for an output layer of two or more neurons).
 */
export type LayerActivation = Activation | 'softmax';

/** Every layer activation's name, for option lists and messages. */
export const layerActivations: readonly LayerActivation[] = [
  ...Object.keys(activations),
  'softmax',
] as LayerActivation[];

/** True if `name` names a neuron's activation. */
export function isActivation(name: unknown): name is Activation {
  return typeof name === 'string' && Object.hasOwn(activations, name);
}

/** True if `name` names a layer's activation (a neuron's, or softmax). */
export function isLayerActivation(name: unknown): name is LayerActivation {
  return name === 'softmax' || isActivation(name);
}
