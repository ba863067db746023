// What a tape is: a graph laid out as one array of numbers and the steps that fill it. Built by
// build.ts, run and swept by run.ts, written out as one function by written.ts; each kind of step
// (op-step.ts, sum-step.ts) holds its own build, run, sweep and written form.
import type { Op } from '../value.js';

/**
 * A graph as a tape: every number it works with in one `Float64Array` of slots, and the steps that
 * fill the slots in order. Step k is an op applied to slots (a row of `ops`) or a fused sum of
 * products (a row of `sums`).
 */
export interface Tape {
  /** The inputs, then the parameters, the constant 1, the other constants, then each step's result. */
  readonly slots: Float64Array;
  /** The first parameter's slot; the inputs' are the slots before it. */
  readonly parameterOffset: number;
  /** The parameters' slots, a view of `slots`: updating them updates the tape. */
  readonly parameters: Float64Array;
  /** The outputs' slots, in order. */
  readonly roots: Int32Array;
  /** Step k's code: its op's (`Code.tanh`), `Code.own` for an op you defined, or `Code.sum`. */
  readonly codes: Int32Array;
  /** Step k's result slot. */
  readonly results: Int32Array;
  /** Step k's row in its kind's table: `ops` for an op step, `sums` for a sum of products. */
  readonly rows: Int32Array;
  /** The op steps' operands. */
  readonly ops: OpSteps;
  /** The sums of products' pairs. */
  readonly sums: SumSteps;
  /**
   * 1 for each parameter that more than one operand reads: a sweep sums its adjoint in its slot,
   * then adds that to its gradient, as `backward` does; a parameter read once adds straight to it.
   */
  readonly reused: Uint8Array;
  /** The indices of the parameters that are `reused`. */
  readonly reusedParameters: Int32Array;
  /**
   * The op of each op step, by row: what a step of an op you defined calls, and where the sweep
   * finds the partials it does not inline. A portable tape (built-in ops only) has none.
   */
  readonly definitions?: readonly Op[];
  /** The operands' slots of each op step of more than two inputs, by row; none in a portable tape. */
  readonly wide?: ReadonlyMap<number, readonly number[]>;
}

/** The operands of the op steps, by row. */
export interface OpSteps {
  /** The first operand's slot. */
  readonly a: Int32Array;
  /** The second operand's slot, or -1 for an op of one input. */
  readonly b: Int32Array;
}

/** The sums of products, by row: pairs of slots multiplied, then added left to right. */
export interface SumSteps {
  /** The sum's first pair in `left` and `right`. */
  readonly first: Int32Array;
  /** The pair after its last. */
  readonly end: Int32Array;
  /** Every sum's pairs' left slots, one sum after another. */
  readonly left: Int32Array;
  /** Every sum's pairs' right slots. */
  readonly right: Int32Array;
  /** Which of a sum's sides need adjoints (depend on a parameter): 1 the left, 2 the right, 3 both. */
  readonly sides: Uint8Array;
  /**
   * For a sum whose pairs but the last are evenly spaced (a neuron's weights, which are
   * consecutive parameters, and its inputs), its first left slot, the rest (and the last pair's)
   * following it; else -1. Then its loops need no slot lists.
   */
  readonly leftStart: Int32Array;
  /** Its first right slot, when `leftStart` is not -1. */
  readonly rightStart: Int32Array;
  /** The spacing of its right slots, when `leftStart` is not -1. */
  readonly rightStride: Int32Array;
  /**
   * 1 when its loops' weights are parameters that other operands read too (see `Tape.reused`),
   * whose adjoints go to their slots, not straight to their gradients.
   */
  readonly sharedWeights: Uint8Array;
}

/** Adds to a slot's adjoint during a sweep; a parameter's adjoint is its gradient (see `reused`). */
export function addAdjoint(
  tape: Tape,
  adjoints: Float64Array,
  gradients: Float64Array,
  slot: number,
  amount: number,
): void {
  const p = slot - tape.parameterOffset;
  if (p >= 0 && p < gradients.length && tape.reused[p] === 0) gradients[p]! += amount;
  else adjoints[slot]! += amount;
}

/** The reused parameters' adjoints (see `Tape.reused`), added to their gradients. */
export function addReused(tape: Tape, adjoints: Float64Array, gradients: Float64Array): void {
  const { reusedParameters, parameterOffset } = tape;
  for (let i = 0; i < reusedParameters.length; i++) {
    const p = reusedParameters[i]!;
    gradients[p]! += adjoints[parameterOffset + p]!;
  }
}
