import { AutogradError, describe, expectOptions, expectValue } from './errors.js';
import { grad } from './grad.js';
import { evaluate } from './evaluate.js';
import { variable, type Value } from './value.js';

/** Options for `checkGradient`. */
export interface GradientCheckOptions {
  /** The finite-difference step, scaled by |x| clamped to [1e-3, 1] (default 1e-3). */
  step?: number;
  /** The largest error that passes (default 1e-6). */
  tolerance?: number;
}

/** One input's row of a gradient check. */
export interface GradientCheckEntry {
  /** Which input of the function. */
  index: number;
  /** The derivative found by eager `backward`. */
  backward: number;
  /** The derivative found by evaluating the symbolic `grad` graph. */
  symbolic: number;
  /**
   * The central finite difference, Richardson-extrapolated: (4·D(h/2) - D(h)) / 3, error O(h⁴);
   * if it does not match, the best of it and the same at steps 10, 100 and 1000 times smaller,
   * judged by how far each is from the next.
   */
  numeric: number;
  /** The larger of |backward - numeric| and |symbolic - numeric|, over max(1, |numeric|). */
  error: number;
}

/** The result of a gradient check: whether it passed, its largest error and a row per input. */
export interface GradientCheck {
  ok: boolean;
  maxError: number;
  tolerance: number;
  entries: GradientCheckEntry[];
}

/**
 * Checks the engine's derivatives of `f` at the point `at` against central finite differences,
 * through both eager `backward` and symbolic `grad`; use it on your own functions and ops.
 * @example checkGradient(([x, y]) => mul(x, sin(y)), [2, 0.5]).ok // true
 */
export function checkGradient(
  f: (inputs: Value[]) => Value,
  at: readonly number[],
  options: GradientCheckOptions = {},
): GradientCheck {
  if (typeof f !== 'function') {
    throw new AutogradError(`checkGradient needs a function of Values, got ${describe(f)}`);
  }
  const point: unknown = at; // (narrowing `at` itself would make it any[])
  if (!Array.isArray(point) || !point.every(Number.isFinite)) {
    throw new AutogradError(
      `checkGradient needs the point as an array of finite numbers, got ${describe(at)}`,
    );
  }
  const { step = 1e-3, tolerance = 1e-6 } = expectOptions(options, 'checkGradient');
  if (!(step > 0 && Number.isFinite(step))) {
    throw new AutogradError(`checkGradient: step must be a positive number, got ${describe(step)}`);
  }
  const inputs = at.map((x, i) => variable(x, `x${i + 1}`));
  const output = expectValue(f(inputs), 'checkGradient: what the function returns');
  output.backward();
  const symbolic = evaluate(grad(output, inputs));
  const valueAt = (point: number[]) => f(point.map((x) => variable(x))).value;

  const entries = at.map((x, index) => {
    // D(h) = (f(x + h) - f(x - h)) / 2h, dividing by the step actually taken.
    const difference = (h: number) => {
      const plus = [...at];
      const minus = [...at];
      plus[index] = x + h;
      minus[index] = x - h;
      return (valueAt(plus) - valueAt(minus)) / (plus[index] - minus[index]);
    };
    // Smaller steps near 0 (where ops such as log and sqrt have their singularities), never tiny.
    const h = step * Math.min(1, Math.max(Math.abs(x), 1e-3));
    const richardson = (h: number) => (4 * difference(h / 2) - difference(h)) / 3;
    const backward = inputs[index]!.grad;
    const errorOf = (numeric: number) =>
      Math.max(Math.abs(backward - numeric), Math.abs(symbolic[index]! - numeric)) /
      Math.max(1, Math.abs(numeric));
    let numeric = richardson(h);
    if (!(errorOf(numeric) <= tolerance)) numeric = refined(richardson, h, numeric);
    const error = errorOf(numeric);
    return {
      index,
      backward,
      symbolic: symbolic[index]!,
      numeric,
      error: Number.isNaN(error) ? Infinity : error,
    };
  });
  const maxError = Math.max(0, ...entries.map((entry) => entry.error));
  return { ok: maxError <= tolerance, maxError, tolerance, entries };
}

/**
 * A finite difference that did not match, estimated again at steps 10, 100 and 1000 times
 * smaller: a strongly curved function needs a smaller step than `step`. Each estimate's error is
 * judged by how far it is from the next one, never by the derivative being checked, and the one
 * that agrees best is kept.
 */
function refined(richardson: (h: number) => number, h: number, first: number): number {
  const estimates = [first, ...[10, 100, 1000].map((k) => richardson(h / k))];
  let best = 1;
  for (let k = 2; k < estimates.length; k++) {
    const change = (i: number) => Math.abs(estimates[i]! - estimates[i - 1]!);
    if (change(k) < change(best)) best = k;
  }
  return estimates[best]!;
}
