/**
 * A symbolic scalar autodiff engine: scalar graphs that backpropagate, gradients that are graphs
 * (printable, simplifiable, differentiable again), and a compiler that turns a graph into fast code.
 * @packageDocumentation
 * @module @dendrite/autograd
 */
export { AutogradError } from './errors.js';
export {
  Value,
  Variable,
  constant,
  variable,
  isConstant,
  zeroGrad,
  type Arity,
  type Op,
  type OpSpec,
  type Operand,
} from './value.js';
export { defineOp, type OpFunction } from './op.js';
export { grad, type GradOptions } from './grad.js';
export { simplify } from './simplify.js';
export { evaluate } from './evaluate.js';
export { compile, type Compiled, type CompileOptions } from './compile.js';
export type { Batched, BatchedFunction } from './tape/batched.js';
export {
  compileGradients,
  type BatchedGradients,
  type CompiledGradients,
  type CompileGradientsOptions,
} from './gradients.js';
export type { BoundParameters } from './tape/layout.js';
export { runPortable, type PortableTape, type PortableFunction } from './tape/portable.js';
export { topologicalOrder, type GraphNode } from './graph.js';
export {
  formula,
  latex,
  infix,
  call,
  Precedence,
  type Notation,
  type Operands,
  type Printable,
  type Show,
  type FormulaOptions,
} from './format.js';
export { toDot } from './dot.js';
export { onnxOpset } from './onnx-opset.js';
export { logSumExp, logSoftmax, softmax } from './softmax.js';
export {
  checkGradient,
  type GradientCheck,
  type GradientCheckEntry,
  type GradientCheckOptions,
} from './check.js';

export * from './ops/index.js';
