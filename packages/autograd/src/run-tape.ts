import { dotStep, type Tape } from './tape.js';

/** Runs a tape forward: the inputs into their slots, then every step in order, then the roots into `out`. */
export function runTape(
  context: Float64Array | Tape,
  _evaluators: unknown,
  x: ArrayLike<number>,
  out: Float64Array,
): void {
  const tape = context as Tape;
  const { slots, opCodes, results, firstOperand, secondOperand, rootSlots } = tape;
  for (let i = 0; i < x.length; i++) slots[i] = x[i]!;
  const count = opCodes.length;
  for (let k = 0; k < count; k++) {
    if (opCodes[k] === dotStep) {
      slots[results[k]!] = sumOfProducts(tape, k, firstOperand[k]!, secondOperand[k]!);
      continue;
    }
    const a = slots[firstOperand[k]!]!;
    const second = secondOperand[k]!;
    const b = second < 0 ? 0 : slots[second]!;
    let y: number;
    // As each op's `evaluate` computes it, to the bit.
    switch (opCodes[k]) {
      case 0:
        y = a + b;
        break; // add
      case 1:
        y = a * b;
        break; // mul
      case 2:
        y = -a;
        break; // neg
      case 3:
        y = a / b;
        break; // div
      case 4:
        y = a ** b;
        break; // pow
      case 5:
        y = Math.exp(a);
        break;
      case 6:
        y = Math.log(a);
        break;
      case 7:
        y = Math.sqrt(a);
        break;
      case 8:
        y = Math.abs(a);
        break;
      case 9:
        y = Math.sign(a);
        break;
      case 10:
        y = a > 0 ? 1 : a <= 0 ? 0 : NaN;
        break; // step
      case 11:
        y = Math.sin(a);
        break;
      case 12:
        y = Math.cos(a);
        break;
      case 13:
        y = Math.tanh(a);
        break;
      case 14:
        y = 1 / (1 + Math.exp(-a));
        break; // sigmoid
      case 15:
        y = Math.max(0, a);
        break; // relu
      case 16:
        y = Math.max(a, b);
        break; // max
      case 17:
        y = a === 0 || b === 0 ? 0 : a * b;
        break; // mulNoNan
      default:
        y = evaluateOp(tape, k);
    }
    slots[results[k]!] = y;
  }
  for (let i = 0; i < rootSlots.length; i++) out[i] = slots[rootSlots[i]!]!;
}

/** A fused step's value: its pairs' products added left to right, as its chain of `add`s does. */
export function sumOfProducts(tape: Tape, k: number, first: number, end: number): number {
  const { slots, left, right } = tape;
  const l = tape.leftStart[k]!;
  if (l < 0) {
    let sum = slots[left[first]!]! * slots[right[first]!]!;
    for (let p = first + 1; p < end; p++) sum += slots[left[p]!]! * slots[right[p]!]!;
    return sum;
  }
  const [r, stride, last] = [tape.rightStart[k]!, tape.rightStride[k]!, end - first - 1];
  let sum = slots[l]! * slots[r]!;
  for (let i = 1, input = r + stride; i < last; i++, input += stride) {
    sum += slots[l + i]! * slots[input]!;
  }
  return sum + slots[l + last]! * slots[right[end - 1]!]!;
}

/** An op the switch does not know, by its own `evaluate`. */
function evaluateOp({ ops, operands, slots }: Tape, k: number): number {
  return ops[k]!.evaluate(...operands[k]!.map((s) => slots[s]!));
}
