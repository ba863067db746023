import { add, log, mul, neg, pow, sub, type Operand, type Value } from '@dendrite/autograd';

/** Keeps log away from 0 when a sigmoid output saturates at exactly 0 or 1. */
const epsilon = 1e-12;

/**
 * Per-sample losses of a prediction against its target; the loss of a data set is their mean.
 * - `mse`: the lecture's squared error (y − ŷ)², whose mean is the MSE (no ½).
 * - `halfSquaredError`: the Playground's ½ (ŷ − y)².
 * - `binaryCrossEntropy`: −(y ln ŷ + (1 − y) ln(1 − ŷ)), for outputs in (0, 1) and 0/1 labels.
 */
export const losses = {
  mse: (prediction: Value, target: Operand): Value => pow(sub(target, prediction), 2),
  halfSquaredError: (prediction: Value, target: Operand): Value =>
    mul(0.5, pow(sub(prediction, target), 2)),
  binaryCrossEntropy: (prediction: Value, target: Operand): Value =>
    neg(
      add(
        mul(target, log(add(prediction, epsilon))),
        mul(sub(1, target), log(add(sub(1, prediction), epsilon))),
      ),
    ),
} as const;

/** The name of a loss: `'mse'`, `'halfSquaredError'` or `'binaryCrossEntropy'`. */
export type Loss = keyof typeof losses;
