import { constant } from '@dendrite/autograd';
import type { Example } from './data.js';
import { NeuralNetworkError } from './errors.js';
import { losses, type Loss } from './losses.js';
import type { Network } from './network.js';

/** The mean loss of the network's first output over the examples (default loss: the lecture's MSE). */
export function meanLoss(
  network: Network,
  examples: readonly Example[],
  loss: Loss = 'mse',
): number {
  const predictions = examples.map(({ input }) => network.predict(input)[0]!);
  return meanLossOf(
    predictions,
    examples.map((e) => e.target),
    loss,
  );
}

/** The mean loss of these predictions against their targets, in order (NaN for none). */
export function meanLossOf(
  predictions: readonly number[],
  targets: readonly number[],
  loss: Loss = 'mse',
): number {
  if (predictions.length === 0) return NaN;
  const lossOf = losses[loss];
  let total = 0;
  for (let i = 0; i < predictions.length; i++) {
    total += lossOf(constant(predictions[i]!), targets[i]!).value;
  }
  return total / predictions.length;
}

/**
 * The fraction of examples whose predicted class matches the label: an output ≥ `threshold` is
 * the positive class. The default threshold is 0 for ±1 labels and 0.5 for 0/1 labels.
 */
export function accuracy(
  network: Network,
  examples: readonly Example[],
  { threshold = examples.some((e) => e.target < 0) ? 0 : 0.5 }: { threshold?: number } = {},
): number {
  if (examples.length === 0) throw new NeuralNetworkError('accuracy needs at least one example');
  const correct = examples.filter(
    ({ input, target }) => network.predict(input)[0]! >= threshold === target >= threshold,
  ).length;
  return correct / examples.length;
}
