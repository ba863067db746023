import { dotStep, type Tape } from './tape.js';

/**
 * Reverse mode over a tape that `runTape` has just run: adds d(first root)/d(parameter) to
 * `gradients`, sweeping the steps backwards with each op's numeric partials, as `backward` does
 * over Values, but with no graph of gradients built. A fused sum of products hands each factor
 * g times the other one. `adjoints` (one per slot) is scratch space for every other slot's
 * d(root)/d(slot); slots that depend on no parameter get none. Every op has at most two inputs.
 */
export function sweepTape(tape: Tape, adjoints: Float64Array, gradients: Float64Array): void {
  const { slots, opCodes, results, firstOperand, secondOperand, parameterOffset } = tape;
  // (a parameter's adjoint is its gradient, so its slot's is never used)
  adjoints.fill(0, 0, parameterOffset).fill(0, parameterOffset + gradients.length);
  addAdjoint(tape, adjoints, gradients, tape.rootSlots[0]!, 1);
  for (let k = opCodes.length - 1; k >= 0; k--) {
    const g = adjoints[results[k]!]!;
    if (g === 0) continue; // as in `backward`: a node whose gradient is 0 passes nothing on
    const first = firstOperand[k]!;
    const second = secondOperand[k]!;
    if (opCodes[k] === dotStep) {
      const even = tape.leftStart[k]! >= 0;
      if (even) sweepEvenProducts(tape, adjoints, gradients, k, g);
      for (let p = even ? second - 1 : first; p < second; p++) {
        sweepPair(tape, adjoints, gradients, k, g, p);
      }
      continue;
    }
    const y = slots[results[k]!]!;
    const a = slots[first]!;
    const b = second < 0 ? NaN : slots[second]!;
    addAdjoint(tape, adjoints, gradients, first, g * partialOf(tape, k, 0, y, a, b));
    if (second >= 0) {
      addAdjoint(tape, adjoints, gradients, second, g * partialOf(tape, k, 1, y, a, b));
    }
  }
}

/**
 * d(step k)/d(its input `index`), from its value `y` and its inputs' `a`, `b`: the commonest
 * ops inline, as their files write them (the op table test checks it), the others by their
 * numeric partials.
 */
function partialOf(tape: Tape, k: number, index: number, y: number, a: number, b: number): number {
  switch (tape.opCodes[k]) {
    case 0: // add
      return 1;
    case 1: // mul
      return index === 0 ? b : a;
    case 5: // exp
      return y;
    case 13: // tanh
      return 1 - y * y;
    case 14: // sigmoid
      return y * (1 - y);
    default:
      return tape.ops[k]!.numericPartial!(index, y, a, b);
  }
}

/** Adds to a slot's adjoint: a parameter's is its gradient. */
function addAdjoint(
  { parameterOffset }: Tape,
  adjoints: Float64Array,
  gradients: Float64Array,
  slot: number,
  amount: number,
): void {
  const p = slot - parameterOffset;
  if (p >= 0 && p < gradients.length) gradients[p]! += amount;
  else adjoints[slot]! += amount;
}

/** One pair of a fused step, backwards, by its slot lists: each side that needs it gains g × the other. */
export function sweepPair(
  tape: Tape,
  adjoints: Float64Array,
  gradients: Float64Array,
  k: number,
  g: number,
  p: number,
): void {
  const { slots, left, right, sides } = tape;
  const l = left[p]!;
  const r = right[p]!;
  if (sides[k]! & 1) addAdjoint(tape, adjoints, gradients, l, g * slots[r]!);
  if (sides[k]! & 2) addAdjoint(tape, adjoints, gradients, r, g * slots[l]!);
}

/**
 * A neuron's evenly spaced pairs backwards (all but its last; see `Tape.leftStart`): its
 * weights' gradients and, where they need them, its inputs' adjoints, in loops.
 */
export function sweepEvenProducts(
  tape: Tape,
  adjoints: Float64Array,
  gradients: Float64Array,
  k: number,
  g: number,
): void {
  const { slots } = tape;
  const count = tape.secondOperand[k]! - tape.firstOperand[k]! - 1;
  const [l, r, stride] = [tape.leftStart[k]!, tape.rightStart[k]!, tape.rightStride[k]!];
  const weight = l - tape.parameterOffset; // (the weights are parameters, the inputs not)
  const side = tape.sides[k]!;
  if (side === 3) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      gradients[weight + i]! += g * slots[input]!;
      adjoints[input]! += g * slots[l + i]!;
    }
  } else if (side === 1) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      gradients[weight + i]! += g * slots[input]!;
    }
  } else if (side === 2) {
    for (let i = 0, input = r; i < count; i++, input += stride) {
      adjoints[input]! += g * slots[l + i]!;
    }
  }
}
