/**
 * ONNX export: any graph the engine builds, gradient graphs included, as an ONNX model that ONNX
 * Runtime, Triton and every runtime that reads ONNX can evaluate; and the small builder the
 * network exporter of `@dendrite/nn/onnx` shares. Loaded only through this subpath, so the main
 * entry never loads protobuf code.
 * @module @dendrite/autograd/onnx
 */
import protobuf from 'onnx-proto';
import { AutogradError, expectValues } from './errors.js';
import { onnxOpset } from './onnx-opset.js';
import { topologicalOrder } from './graph.js';
import type { OpName } from './ops/index.js';
import { isConstant, Variable, type Value } from './value.js';

const { onnx } = protobuf;

export { onnxOpset };

/** Element types of ONNX tensors that dendrite writes. */
const DataType = { FLOAT: 1, STRING: 8, INT64: 7, DOUBLE: 11 } as const;

/** An ONNX attribute value: an integer, a list of integers, a number or a tensor. */
type Attribute =
  | { ints: number[] }
  | { i: number }
  | { f: number }
  | { s: string }
  | { t: protobuf.onnx.ITensorProto };

/**
 * Builds one ONNX graph node by node: its inputs, initializers (constants and parameters),
 * nodes and outputs, in doubles (`DOUBLE`) unless built for `float32`.
 */
export class OnnxGraph {
  private readonly nodes: protobuf.onnx.INodeProto[] = [];
  private readonly initializers: protobuf.onnx.ITensorProto[] = [];
  private readonly inputs: protobuf.onnx.IValueInfoProto[] = [];
  private readonly outputs: protobuf.onnx.IValueInfoProto[] = [];
  private count = 0;

  constructor(readonly float32 = false) {}

  /** The element type of the graph's numbers. */
  get numberType(): number {
    return this.float32 ? DataType.FLOAT : DataType.DOUBLE;
  }

  /** A fresh name for an intermediate tensor. */
  name(hint = 't'): string {
    return `${hint}_${this.count++}`;
  }

  /** Numbers (of the graph's type) known before it runs, e.g. weights; returns their name. */
  constant(values: readonly number[], dims: readonly number[] = [], name = this.name('c')): string {
    this.initializers.push(this.tensor(name, values, dims));
    return name;
  }

  /** 64-bit integers known before it runs, e.g. indices; returns their name. */
  integers(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.name('i');
    this.initializers.push({
      name,
      dataType: DataType.INT64,
      dims: [...dims],
      int64Data: [...values],
    });
    return name;
  }

  /** Strings known before it runs, e.g. class names; returns their name. */
  strings(values: readonly string[]): string {
    const name = this.name('s');
    const encoder = new TextEncoder();
    this.initializers.push({
      name,
      dataType: DataType.STRING,
      dims: [values.length],
      stringData: values.map((v) => encoder.encode(v)),
    });
    return name;
  }

  /** A tensor value for an attribute (e.g. a Constant's). */
  tensor(
    name: string,
    values: readonly number[],
    dims: readonly number[],
  ): protobuf.onnx.ITensorProto {
    return this.float32
      ? { name, dataType: DataType.FLOAT, dims: [...dims], floatData: [...values] }
      : { name, dataType: DataType.DOUBLE, dims: [...dims], doubleData: [...values] };
  }

  /** One node `opType(inputs)` with its attributes; returns the name of its (first) output. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    output = this.name(),
  ): string {
    const attribute = Object.entries(attributes).map(([name, value]) =>
      's' in value
        ? { name, s: new TextEncoder().encode(value.s), type: 3 }
        : { name, ...value, type: 'ints' in value ? 7 : 'i' in value ? 2 : 'f' in value ? 1 : 4 },
    );
    this.nodes.push({ opType, input: [...inputs], output: [output], attribute });
    return output;
  }

  /** A graph input of the graph's number type; a dimension given as a string is symbolic. */
  input(name: string, dims: readonly (number | string)[]): string {
    this.inputs.push(valueInfo(name, this.numberType, dims));
    return name;
  }

  /** A graph input of strings, e.g. a column of categories. */
  textInput(name: string, dims: readonly (number | string)[]): string {
    this.inputs.push(valueInfo(name, DataType.STRING, dims));
    return name;
  }

  /** Names `tensor` as a graph output of this element type (default: the graph's numbers). */
  output(
    name: string,
    tensor: string,
    dims: readonly (number | string)[],
    type = this.numberType,
  ): void {
    if (tensor !== name) this.node('Identity', [tensor], {}, name);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** The model: this graph with the opset, the producer and `metadata` as string properties. */
  model(graphName: string, metadata: Record<string, string> = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 9,
      opsetImport: [{ domain: '', version: onnxOpset }],
      producerName: 'dendrite',
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/**
 * How each of the engine's ops is written in ONNX, from the names of its inputs: the table the op
 * table test checks against `ops`, so that adding an op means adding its mapping.
 */
export const onnxOps: Record<OpName, (graph: OnnxGraph, inputs: string[]) => string> = {
  add: (g, [a, b]) => g.node('Add', [a!, b!]),
  neg: (g, [x]) => g.node('Neg', [x!]),
  mul: (g, [a, b]) => g.node('Mul', [a!, b!]),
  // Products added left to right, as `evaluate` adds them.
  dot: (g, inputs) => {
    let sum = g.node('Mul', [inputs[0]!, inputs[1]!]);
    for (let i = 2; i < inputs.length; i += 2) {
      sum = g.node('Add', [sum, g.node('Mul', [inputs[i]!, inputs[i + 1]!])]);
    }
    return sum;
  },
  div: (g, [a, b]) => g.node('Div', [a!, b!]),
  pow: (g, [a, b]) => g.node('Pow', [a!, b!]),
  exp: (g, [x]) => g.node('Exp', [x!]),
  log: (g, [x]) => g.node('Log', [x!]),
  sqrt: (g, [x]) => g.node('Sqrt', [x!]),
  abs: (g, [x]) => g.node('Abs', [x!]),
  sign: (g, [x]) => g.node('Sign', [x!]),
  // 1 for x > 0, else 0: a comparison cast back to a number.
  step: (g, [x]) =>
    g.node('Cast', [g.node('Greater', [x!, g.constant([0])])], { to: { i: g.numberType } }),
  sin: (g, [x]) => g.node('Sin', [x!]),
  cos: (g, [x]) => g.node('Cos', [x!]),
  tanh: (g, [x]) => g.node('Tanh', [x!]),
  sigmoid: (g, [x]) => g.node('Sigmoid', [x!]),
  relu: (g, [x]) => g.node('Relu', [x!]),
  max: (g, [a, b]) => g.node('Max', [a!, b!]),
  // a · b, except that 0 times anything (even ∞) is 0.
  mulNoNan: (g, [a, b]) => {
    const zero = g.constant([0]);
    const either = g.node('Or', [g.node('Equal', [a!, zero]), g.node('Equal', [b!, zero])]);
    return g.node('Where', [either, zero, g.node('Mul', [a!, b!])]);
  },
};

/** What `graphToOnnx` exports besides the outputs. */
export interface GraphExportOptions {
  /** The variables the ONNX model takes as its inputs, in order (scalars). */
  inputs?: readonly Value[];
  /** Variables whose current values are written into the model (default: every other variable). */
  parameters?: readonly Value[];
  /** The outputs' names (default: their labels, else `output1`, …). */
  names?: readonly string[];
  /** Write 32-bit floats instead of doubles. */
  float32?: boolean;
}

/**
 * Any graph as ONNX bytes, op by op: `inputs` become the model's scalar inputs, every other leaf a
 * constant (parameters at their current values), and each output a scalar output; a graph made by
 * `grad` exports as well, so ONNX Runtime evaluates a gradient the engine derived symbolically.
 * @example graphToOnnx([grad(loss, w1)], { inputs: [x1, x2, y] })
 */
export function graphToOnnx(
  outputs: Value | readonly Value[],
  options: GraphExportOptions = {},
): Uint8Array {
  const roots = expectValues(outputs, 'graphToOnnx') as Value | Value[];
  const list = Array.isArray(roots) ? roots : [roots];
  const inputs = options.inputs ?? [];
  const graph = new OnnxGraph(options.float32 ?? false);
  const names = new Map<Value, string>();
  const used = new Set<string>();
  const unique = (wanted: string) => {
    let name = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    while (used.has(name)) name = `${name}_`;
    used.add(name);
    return name;
  };
  inputs.forEach((x, i) => {
    if (!(x instanceof Variable))
      throw new AutogradError(`graphToOnnx: input ${i + 1} is not a variable`);
    names.set(x, graph.input(unique(x.label ?? `x${i + 1}`), []));
  });
  for (const node of topologicalOrder(list)) {
    if (names.has(node)) continue;
    if (node.op === undefined) {
      const hint = isConstant(node) ? 'c' : (node.label ?? 'p');
      names.set(node, graph.constant([node.value], [], unique(hint)));
      continue;
    }
    const write = onnxOps[node.op.name as OpName];
    if (write === undefined) {
      throw new AutogradError(`graphToOnnx: the op "${node.op.name}" has no ONNX form`);
    }
    names.set(
      node,
      write(
        graph,
        node.inputs.map((x) => names.get(x)!),
      ),
    );
  }
  list.forEach((root, i) => {
    const name = unique(options.names?.[i] ?? root.label ?? `output${i + 1}`);
    graph.output(name, names.get(root)!, []);
  });
  return graph.model('dendrite graph');
}
