/** Moves parameters against their gradients; it may keep state per parameter (by position). */
export interface Optimizer {
  /** Updates `values` in place, given each one's gradient (already averaged over the batch). */
  step(values: Float64Array, gradients: Float64Array, learningRate: number): void;
}

/** Plain gradient descent, the lecture's update: w ← w − η · ∂L/∂w. */
export function sgd(): Optimizer {
  return {
    step(values, gradients, learningRate) {
      for (let i = 0; i < values.length; i++) values[i]! -= learningRate * gradients[i]!;
    },
  };
}

/** Gradient descent with momentum: v ← β v + g; w ← w − η v. */
export function momentum({ beta = 0.9 }: { beta?: number } = {}): Optimizer {
  let velocity: Float64Array | undefined;
  return {
    step(values, gradients, learningRate) {
      velocity ??= new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        velocity[i] = beta * velocity[i]! + gradients[i]!;
        values[i]! -= learningRate * velocity[i]!;
      }
    },
  };
}

/** Adam (Kingma & Ba): moving averages of the gradient and its square, with bias correction. */
export function adam({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = {}): Optimizer {
  let first: Float64Array | undefined;
  let second: Float64Array | undefined;
  let steps = 0;
  return {
    step(values, gradients, learningRate) {
      first ??= new Float64Array(values.length);
      second ??= new Float64Array(values.length);
      steps++;
      const correction1 = 1 - beta1 ** steps;
      const correction2 = 1 - beta2 ** steps;
      for (let i = 0; i < values.length; i++) {
        const g = gradients[i]!;
        first[i] = beta1 * first[i]! + (1 - beta1) * g;
        second[i] = beta2 * second[i]! + (1 - beta2) * g * g;
        values[i]! -=
          (learningRate * (first[i]! / correction1)) /
          (Math.sqrt(second[i]! / correction2) + epsilon);
      }
    },
  };
}

/** The built-in optimizers by name. */
export const optimizers = { sgd, momentum, adam } as const;

/** The name of a built-in optimizer. */
export type OptimizerName = keyof typeof optimizers;
