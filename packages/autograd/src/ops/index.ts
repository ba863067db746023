import { abs } from './abs.js';
import { add } from './add.js';
import { cos } from './cos.js';
import { div } from './div.js';
import { dot } from './dot.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { max } from './max.js';
import { mul } from './mul.js';
import { mulNoNan } from './mul-no-nan.js';
import { neg } from './neg.js';
import { pow } from './pow.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import { sign } from './sign.js';
import { sin } from './sin.js';
import { sqrt } from './sqrt.js';
import { step } from './step.js';
import { tanh } from './tanh.js';

/**
 * Every op the engine defines, by name: the one list that the package's exports, the op table
 * test and the README's list of ops are checked against. Adding an op adds its name here and in
 * the export list below.
 */
export const ops = {
  add,
  neg,
  mul,
  dot,
  div,
  pow,
  exp,
  log,
  sqrt,
  abs,
  sign,
  step,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  max,
  mulNoNan,
} as const;

export {
  abs,
  add,
  cos,
  div,
  dot,
  exp,
  log,
  max,
  mul,
  mulNoNan,
  neg,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  sqrt,
  step,
  tanh,
};
export { sub } from './sub.js';
export { dotProduct } from './dot.js';

/** The name of a built-in op, e.g. `'tanh'`. */
export type OpName = keyof typeof ops;
