import {
  add,
  div,
  log,
  logSoftmax,
  mul,
  neg,
  pow,
  sub,
  type Operand,
  type Value,
} from '@dendrite/autograd';

/** Keeps log away from 0 when a sigmoid output saturates at exactly 0 or 1. */
const epsilon = 1e-12;

/**
 * Per-output losses of a prediction against its target; the loss of a data set is their mean.
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

/**
 * Categorical cross-entropy −Σ yᵢ log softmax(z)ᵢ of a softmax layer's logits `z` against target
 * probabilities `y` (one-hot for a class): taken from the logits, so it is finite for any logits.
 */
export function categoricalCrossEntropy(
  logits: readonly Value[],
  targets: readonly Operand[],
): Value {
  const terms = logSoftmax(logits).map((logP, i) => mul(targets[i]!, logP));
  return neg(terms.reduce((sum, term) => add(sum, term)));
}

/** The name of a loss: one of `losses`, or `'categoricalCrossEntropy'` (for a softmax output layer). */
export type Loss = keyof typeof losses | 'categoricalCrossEntropy';

/** Every loss's name, for option lists and messages. */
export const lossNames: readonly Loss[] = [
  ...Object.keys(losses),
  'categoricalCrossEntropy',
] as Loss[];

/**
 * The loss of one example over all of a network's outputs: a per-output loss averaged over the
 * outputs (for one output, that loss itself), or the cross-entropy of the softmax layer's logits.
 */
export function exampleLoss(
  loss: Loss,
  { outputs, logits }: { outputs: readonly Value[]; logits: readonly Value[] },
  targets: readonly Operand[],
): Value {
  if (loss === 'categoricalCrossEntropy') return categoricalCrossEntropy(logits, targets);
  const perOutput = outputs.map((output, i) => losses[loss](output, targets[i]!));
  if (perOutput.length === 1) return perOutput[0]!;
  return div(
    perOutput.reduce((sum, term) => add(sum, term)),
    perOutput.length,
  );
}
