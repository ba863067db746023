// The experiment of a setup, as the worker trains it and as the page previews it before then.
import { insidePlayground, playgroundPlan, type ExperimentPlan } from '@dendrite/nn';
import type { Setup } from './protocol.js';

/** The Playground's plan; for more than two classes, with a softmax output and cross-entropy. */
export function plan(setup: Setup): ExperimentPlan {
  const base = playgroundPlan(setup.settings, setup.points);
  // Points beyond the Playground's [-6, 6]² are normalised, as a tanh network needs them.
  const own = setup.points !== undefined && !insidePlayground(setup.points);
  const classes = setup.classes?.length ?? 0;
  if (classes <= 2) return { ...base, normalize: own };
  return {
    ...base,
    normalize: own,
    outputSize: classes,
    outputActivation: 'softmax',
    training: { ...base.training, loss: 'categoricalCrossEntropy' },
  };
}
