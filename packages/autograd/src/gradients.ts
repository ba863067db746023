import { AutogradError, describe, expectValue, expectValues } from './errors.js';
import { dot } from './ops/dot.js';
import { buildTape } from './tape/build.js';
import {
  checkLeaves,
  layout,
  parameterSync,
  type BoundParameters,
  type Leaves,
} from './tape/layout.js';
import {
  batchedFunction,
  batchedParts,
  type Batched,
  type BatchedFunction,
} from './tape/batched.js';
import { checkBatch, checkWidth, lanesOf } from './tape/lanes.js';
import { runLanes } from './tape/run-lanes.js';
import { runTape, sweepTape } from './tape/run.js';
import { sweepLanes } from './tape/sweep-lanes.js';
import type { Tape } from './tape/tape.js';
import { tapeKernel, type TapeKernel } from './tape/written.js';
import type { Value } from './value.js';

/** A loss compiled for training: call it with the inputs' numbers and an array of gradient sums. */
export interface CompiledGradients extends BoundParameters {
  /**
   * The loss for these inputs; given `gradients`, adds d(loss)/d(parameter) to them, in the
   * parameters' order (without, it runs forward only).
   */
  (inputs: ArrayLike<number>, gradients?: Float64Array): number;
  /** Which way it runs: the tape written out as code, or the tape interpreted. */
  readonly mode: 'code' | 'tape';
  /**
   * The same loss for up to `width` examples at once, bound to a copy of these parameters: each
   * step runs over the examples together, so each weight is read once per batch, not once per
   * example.
   */
  batched(width: number): BatchedGradients;
}

/**
 * A compiled loss run for many examples at once: the losses of `count` examples (example e's
 * inputs at `inputs[e * inputCount + i]`), into `losses` (a new array if not given); given
 * `gradients`, adds each example's gradients to them, one example after another, the very numbers
 * that calling the compiled loss on each in turn would add.
 */
export interface BatchedGradients extends Batched {
  (
    inputs: ArrayLike<number>,
    count: number,
    gradients?: Float64Array,
    losses?: Float64Array,
  ): Float64Array;
  /**
   * Zeroed gradient sums in the function's own memory: passed as `gradients`, they save copying
   * every sum in and out of the WebAssembly loops on each call.
   */
  readonly gradientSums: Float64Array;
  /**
   * The same lanes run forward only, for scoring: each example's loss, then its `outputs` (see
   * `CompileGradientsOptions`), as `compile([loss, ...outputs])` batched would give them.
   */
  readonly forward: BatchedFunction;
}

/** How to compile a loss for training. */
export interface CompileGradientsOptions extends Leaves {
  /**
   * `'code'` writes the tape out as one JavaScript function; `'tape'` interprets it; `'auto'`
   * (default) writes it out unless it is too long for V8 to optimise soon as one function (a
   * network's of more than several hundred parameters) or the environment forbids generated
   * code. Both give the same numbers to the bit.
   */
  mode?: 'auto' | 'code' | 'tape';
  /**
   * Values the forward pass computes beside the loss (a network's outputs, say), which
   * `batched(width).forward` gives after each example's loss: one tape to train and to score on.
   */
  outputs?: readonly Value[];
}

/**
 * Compiles a loss for training by reverse mode over a tape: each call runs the loss forward,
 * then sweeps the tape backwards with the ops' numeric partials, as `backward` does, with no graph
 * of gradients built (so it scales to networks whose symbolic gradients would not fit). Sums of
 * products (a `dot`, or w1·x1 + … + b written out) run as loops. Every other op must have at most
 * two inputs.
 * @example const step = compileGradients(loss, { inputs: [x, y], parameters: [w, b] }); step([0.5, 1], sums);
 */
export function compileGradients(loss: Value, options: CompileGradientsOptions): CompiledGradients {
  expectValue(loss, 'compileGradients (loss)');
  checkLeaves(options, 'compileGradients');
  if (options.outputs !== undefined) {
    expectValues(options.outputs, 'compileGradients (outputs)', { single: false });
  }
  const roots = [loss, ...(options.outputs ?? [])];
  const laidOut = layout(roots, options, 'compileGradients');
  const { order, inputs, parameters } = laidOut;
  const wide = order.find(
    ({ op }) =>
      op !== undefined && op !== dot.op && !(typeof op.arity === 'number' && op.arity <= 2),
  );
  if (wide !== undefined) {
    throw new AutogradError(
      `compileGradients: op ${wide.op!.name} takes ${wide.op!.arity} inputs; the reverse sweep takes ops of one or two, and dot (use grad and compile)`,
    );
  }
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'code' && mode !== 'tape') {
    throw new AutogradError(
      `compileGradients: mode is 'auto', 'code' or 'tape', got ${describe(mode)}`,
    );
  }
  const run = buildTape(laidOut, roots);
  let kernel: TapeKernel | undefined;
  if (mode !== 'tape') {
    try {
      kernel = tapeKernel(run, mode === 'code');
    } catch (error) {
      if (mode === 'code') throw cannotWrite(error); // (generated code is forbidden here)
    }
  }
  const written = kernel !== undefined;
  kernel ??= interpreted(run);
  const step = (x: ArrayLike<number>, gradients?: Float64Array): number => {
    if (x?.length !== inputs.length || (gradients && gradients.length !== parameters.length)) {
      throw new AutogradError(
        `the compiled gradients take ${inputs.length} inputs and ${parameters.length} gradient sums, got ${describe(x)} and ${gradients?.length ?? 'none'}`,
      );
    }
    return kernel(x, gradients);
  };
  return Object.assign(step, {
    parameters: run.parameters,
    parameterValues: parameters,
    ...parameterSync(parameters, run.parameters),
    mode: written ? ('code' as const) : ('tape' as const),
    batched: (width: number) => batchedGradients(run, width, parameters),
  });
}

function batchedGradients(
  run: Tape,
  width: number,
  parameterValues: readonly Value[],
): BatchedGradients {
  const who = 'a batched loss';
  checkWidth(who, width);
  const lanes = lanesOf(run, width);
  const batched = (
    x: ArrayLike<number>,
    count: number,
    gradients?: Float64Array,
    losses: Float64Array = new Float64Array(count),
  ) => {
    checkBatch(who, lanes, x, count);
    if (gradients !== undefined && gradients.length !== run.parameters.length) {
      throw new AutogradError(
        `${who} takes ${run.parameters.length} gradient sums, got ${describe(gradients)}`,
      );
    }
    runLanes(lanes, x, count, losses, 1);
    if (gradients !== undefined) sweepLanes(lanes, count, gradients);
    return losses;
  };
  const gradientSums = lanes.simd?.gradients ?? new Float64Array(run.parameters.length);
  const forward = batchedFunction(lanes, parameterValues);
  return Object.assign(batched, batchedParts(lanes, parameterValues), { gradientSums, forward });
}

/** Why forced code mode failed: the environment forbids generated code. */
function cannotWrite(error: unknown): AutogradError {
  return new AutogradError(
    `compileGradients: mode 'code' could not write the tape out as code (${(error as Error).message}); use mode 'tape' or 'auto'`,
  );
}

/** The tape run by `runTape` and swept by `sweepTape`, step by step. */
function interpreted(run: Tape): TapeKernel {
  // (the adjoints made at the first sweep: a loss that only ever runs batched needs none)
  let adjoints: Float64Array | undefined;
  const out = new Float64Array(run.roots.length);
  return (x, gradients) => {
    runTape(run, x, out);
    if (gradients !== undefined) {
      sweepTape(run, (adjoints ??= new Float64Array(run.slots.length)), gradients);
    }
    return out[0]!;
  };
}
