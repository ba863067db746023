import {
  checkOptions,
  layout,
  parameterSync,
  type BoundParameters,
  type CompileOptions,
} from './compile.js';
import { AutogradError, describe, expectValue } from './errors.js';
import { dot } from './ops/dot.js';
import { runTape } from './run-tape.js';
import { sweepTape } from './sweep.js';
import { tape } from './tape.js';
import type { Value } from './value.js';

/** A loss compiled for training: call it with the inputs' numbers and an array of gradient sums. */
export interface CompiledGradients extends BoundParameters {
  /**
   * The loss for these inputs; given `gradients`, adds d(loss)/d(parameter) to them, in the
   * parameters' order (without, it runs forward only).
   */
  (inputs: ArrayLike<number>, gradients?: Float64Array): number;
}

/**
 * Compiles a loss for training by reverse mode over a tape: each call runs the loss forward,
 * then sweeps the tape backwards with the ops' numeric partials, as `backward` does, with no graph
 * of gradients built (so it scales to networks whose symbolic gradients would not fit). Sums of
 * products (a `dot`, or w1·x1 + … + b written out) run as loops. Every other op must have at most
 * two inputs.
 * @example const step = compileGradients(loss, { inputs: [x, y], parameters: [w, b] }); step([0.5, 1], sums);
 */
export function compileGradients(
  loss: Value,
  options: Omit<CompileOptions, 'mode' | 'simplify'>,
): CompiledGradients {
  expectValue(loss, 'compileGradients (loss)');
  checkOptions(options, 'compileGradients');
  const { order, inputs, parameters } = layout([loss], options, 'compileGradients');
  const wide = order.find(
    ({ op }) =>
      op !== undefined && op !== dot.op && !(typeof op.arity === 'number' && op.arity <= 2),
  );
  if (wide !== undefined) {
    throw new AutogradError(
      `compileGradients: op ${wide.op!.name} takes ${wide.op!.arity} inputs; the reverse sweep takes ops of one or two, and dot (use grad and compile)`,
    );
  }
  const run = tape(order, [loss], inputs, parameters);
  const adjoints = new Float64Array(run.slots.length);
  const out = new Float64Array(1);
  const step = (x: ArrayLike<number>, gradients?: Float64Array): number => {
    if (x?.length !== inputs.length || (gradients && gradients.length !== parameters.length)) {
      throw new AutogradError(
        `the compiled gradients take ${inputs.length} inputs and ${parameters.length} gradient sums, got ${describe(x)} and ${gradients?.length ?? 'none'}`,
      );
    }
    runTape(run, undefined, x, out);
    if (gradients === undefined) return out[0]!;
    sweepTape(run, adjoints, gradients);
    return out[0]!;
  };
  return Object.assign(step, {
    parameters: run.parameters,
    parameterValues: parameters,
    ...parameterSync(parameters, run.parameters),
  });
}
