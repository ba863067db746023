import { constant } from '@dendrite/autograd';
import { targetsOf, type Example } from './data.js';
import { lossFunction, scoreRows } from './loss-function.js';
import { NeuralNetworkError } from './errors.js';
import { losses, type Loss } from './losses.js';
import type { Network } from './network.js';
import { checkLoss } from './train-options.js';
import { decodeClass } from './task.js';

/**
 * The mean loss of the network over the examples (default loss: the lecture's MSE), from the
 * loss graph compiled once per network and loss, so it is the loss training reports; a loss that
 * does not fit the output layer is a `NeuralNetworkError`.
 */
export function meanLoss(
  network: Network,
  examples: readonly Example[],
  loss: Loss = 'mse',
): number {
  checkLoss(network, loss);
  return scoreRows(lossFunction(network, loss), examples);
}

/** The mean per-output loss of these one-output predictions against their targets, in order (NaN for none). */
export function meanLossOf(
  predictions: readonly number[],
  targets: readonly number[],
  loss: keyof typeof losses = 'mse',
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
 * The fraction of examples whose predicted class matches the label. With one output, an output
 * ≥ `threshold` is the positive class (default threshold 0 for ±1 labels, 0.5 for 0/1 labels);
 * with several, the largest output is the class and the target is one-hot.
 */
export function accuracy(
  network: Network,
  examples: readonly Example[],
  { threshold = examples.some((e) => targetsOf(e)[0]! < 0) ? 0 : 0.5 }: { threshold?: number } = {},
): number {
  if (examples.length === 0) throw new NeuralNetworkError('accuracy needs at least one example');
  const activation = network.activations.at(-1)!;
  const outputs = network.predictAll(examples.map((e) => e.input));
  const correct = examples.filter((example, i) => {
    const output = outputs[i]!;
    const target = targetsOf(example);
    if (output.length === 1) return output[0]! >= threshold === target[0]! >= threshold;
    return target[decodeClass(output, activation).index] === 1;
  }).length;
  return correct / examples.length;
}
