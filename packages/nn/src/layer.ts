// A neuron, activation(w · x + b), and a layer of them: the graph each builds for its inputs.
import { dotProduct, softmax, type Operand, type Value, type Variable } from '@dendrite/autograd';
import { activations, type Activation, type LayerActivation } from './activations.js';

/** One neuron: activation(w · x + b). */
export class Neuron {
  constructor(
    readonly weights: readonly Variable[],
    readonly bias: Variable,
    readonly activation: Activation,
    /** Sum as `b + w1 x1 + …` (the Playground's order) rather than `w1 x1 + … + b` (the lecture's). */
    readonly biasFirst = false,
  ) {}

  /**
   * Its output for these inputs, as a graph: activation(w1 x1 + w2 x2 + … + b), the weighted sum
   * one `dot` node (a chain of them from 10,000 inputs on) with the bias as the pair (b, 1).
   */
  forward(inputs: readonly Operand[]): Value {
    // Floating-point addition is not associative: the order decides the last bits. (The pairs'
    // lists are made at their size: a large layer makes many.)
    const n = this.weights.length;
    const [a, b] = [new Array<Operand>(n + 1), new Array<Operand>(n + 1)];
    const first = this.biasFirst ? 1 : 0;
    for (let i = 0; i < n; i++) {
      a[first + i] = this.weights[i]!;
      b[first + i] = inputs[i]!;
    }
    const bias = this.biasFirst ? 0 : n;
    [a[bias], b[bias]] = [this.bias, 1];
    return activations[this.activation](dotProduct(a, b));
  }
}

/** Neurons that all see the same inputs; a softmax layer's neurons are linear, and it normalises their outputs. */
export class Layer {
  constructor(
    readonly neurons: readonly Neuron[],
    /** The neurons' own activation, or `'softmax'` over the whole layer. */
    readonly activation: LayerActivation = neurons[0]!.activation,
  ) {}

  /** The outputs of its neurons for these inputs (through softmax, for a softmax layer). */
  forward(inputs: readonly Operand[]): Value[] {
    return this.activate(this.neurons.map((neuron) => neuron.forward(inputs)));
  }

  /** The layer's outputs from its neurons' outputs: softmax of them for a softmax layer, else themselves. */
  activate(neuronOutputs: Value[]): Value[] {
    return this.activation === 'softmax' ? softmax(neuronOutputs) : neuronOutputs;
  }
}
