import {
  compile,
  variable,
  type BatchedFunction,
  type Compiled,
  type Operand,
  type Value,
  type Variable,
} from '@dendrite/autograd';
import {
  isLayerActivation,
  layerActivations,
  type Activation,
  type LayerActivation,
} from './activations.js';
import { gainsFromBatches, predictInBatches, widestBatch } from './batching.js';
import { Layer, Neuron } from './layer.js';
import { NeuralNetworkError } from './errors.js';
import { initializers, type Initializer, type InitializerName } from './init.js';
import { Parameter } from './parameter.js';
import { seededRandom, type Random } from './random.js';

/** How to build a network. */
export interface NetworkOptions {
  /** Activation of the hidden layers (default `'sigmoid'`, the lecture's), or one per layer. */
  activation?: Activation | readonly LayerActivation[];
  /** Activation of the output layer (default: the last of `activation`); `'softmax'` for classes. */
  outputActivation?: LayerActivation;
  /** How parameters start (default `'normal'`, N(0, 1) as in the lecture). */
  init?: InitializerName | Initializer;
  /** The random stream to draw from; or a `seed` for one (default seed 1, so runs repeat). */
  random?: Random;
  seed?: string | number;
  /**
   * Add each neuron's bias first, `b + w1 x1 + …`, as the Playground does (default false:
   * `w1 x1 + … + b`, as the lecture writes it). The two differ only in the last bits.
   */
  biasFirst?: boolean;
}

/**
 * A fully connected network of any shape, e.g. `new Network([2, 2, 1])`: 2 inputs, a hidden
 * layer of 2, 1 output. Parameters are labelled as the lecture numbers them, counting neuron by
 * neuron: weights `w1, w2, …`, biases `b1, b2, …`; hidden outputs print as `h1, h2, …`, outputs
 * as `o1, …`, inputs as `x1, …`.
 */
export class Network {
  readonly layers: readonly Layer[];
  private graph?: ReturnType<Network['placeholderGraph']>;
  private compiledForward?: Compiled;
  private batchedForward?: BatchedFunction;
  private parameterList?: Variable[];

  constructor(
    readonly shape: readonly number[],
    options: NetworkOptions = {},
  ) {
    if (shape.length < 2 || !shape.every((size) => Number.isInteger(size) && size >= 1)) {
      throw new NeuralNetworkError(
        `a network shape is at least two whole numbers ≥ 1 (inputs, …, outputs), got [${shape.join(', ')}]`,
      );
    }
    const layerCount = shape.length - 1;
    const given = options.activation ?? 'sigmoid';
    const perLayer =
      typeof given === 'string' ? Array<LayerActivation>(layerCount).fill(given) : [...given];
    if (perLayer.length !== layerCount) {
      throw new NeuralNetworkError(
        `give one activation per layer (${layerCount}), got ${perLayer.length}`,
      );
    }
    if (options.outputActivation !== undefined) perLayer[layerCount - 1] = options.outputActivation;
    perLayer.forEach((name, l) => {
      if (!isLayerActivation(name)) {
        throw new NeuralNetworkError(
          `unknown activation "${String(name)}"; use ${layerActivations.join(', ')}`,
        );
      }
      if (name === 'softmax' && (l !== layerCount - 1 || shape[layerCount]! < 2)) {
        throw new NeuralNetworkError(
          'softmax is for the output layer, with two or more outputs (one per class)',
        );
      }
    });
    const init =
      typeof options.init === 'function' ? options.init : initializers[options.init ?? 'normal'];
    if (init === undefined) {
      throw new NeuralNetworkError(
        `unknown initializer "${String(options.init)}"; use ${Object.keys(initializers).join(', ')}`,
      );
    }
    const random = options.random ?? seededRandom(options.seed ?? 1);
    let weightCount = 0;
    let biasCount = 0;
    // Plain loops and one context per layer and kind: a large network has a million parameters.
    this.layers = shape.slice(1).map((size, l) => {
      const fanIn = shape[l]!;
      const weight = Object.freeze({ random, fanIn, fanOut: size, kind: 'weight' as const });
      const bias = Object.freeze({ random, fanIn, fanOut: size, kind: 'bias' as const });
      const own = perLayer[l] === 'softmax' ? 'linear' : perLayer[l]!;
      const neurons = new Array<Neuron>(size);
      for (let j = 0; j < size; j++) {
        const weights = new Array<Variable>(fanIn);
        for (let i = 0; i < fanIn; i++) weights[i] = new Parameter(init(weight), ++weightCount);
        const b = new Parameter(init(bias), -++biasCount);
        neurons[j] = new Neuron(weights, b, own, options.biasFirst ?? false);
      }
      return new Layer(neurons, perLayer[l]);
    });
  }

  /** How many numbers it takes. */
  get inputSize(): number {
    return this.shape[0]!;
  }

  /** How many numbers it gives. */
  get outputSize(): number {
    return this.shape[this.shape.length - 1]!;
  }

  /** The activation of each layer, hidden layers first. */
  get activations(): LayerActivation[] {
    return this.layers.map((layer) => layer.activation);
  }

  /** Every weight and bias, neuron by neuron (its weights, then its bias). */
  parameters(): Variable[] {
    // A network's Variables never change (only their values do): listed once, copied per call.
    if (this.parameterList === undefined) {
      const list: Variable[] = [];
      for (const { neurons } of this.layers) {
        for (let j = 0; j < neurons.length; j++) {
          const { weights, bias } = neurons[j]!;
          for (let i = 0; i < weights.length; i++) list.push(weights[i]!);
          list.push(bias);
        }
      }
      this.parameterList = list;
    }
    return this.parameterList.slice();
  }

  /**
   * The outputs for these inputs as graphs, with hidden outputs labelled `h1, …` and outputs
   * `o1, …`; `neurons`, if given, receives every neuron's output by its label.
   */
  forward(inputs: readonly Operand[], neurons?: Map<string, Value>): Value[] {
    return this.build(inputs, neurons).outputs;
  }

  /** The outputs, and the output layer's neurons' own outputs before any softmax (its logits). */
  private build(
    inputs: readonly Operand[],
    neurons?: Map<string, Value>,
  ): { outputs: Value[]; logits: Value[] } {
    if (inputs.length !== this.inputSize) {
      throw new NeuralNetworkError(
        `the network takes ${this.inputSize} inputs, got ${inputs.length}`,
      );
    }
    let hidden = 0;
    let values: readonly Operand[] = inputs;
    let logits: Value[] = [];
    this.layers.forEach((layer, l) => {
      logits = layer.neurons.map((neuron) => neuron.forward(values));
      const outputs = layer.activate(logits);
      const isOutput = l === this.layers.length - 1;
      outputs.forEach((output, i) => {
        output.label = isOutput ? `o${i + 1}` : `h${++hidden}`;
        neurons?.set(output.label, output);
      });
      values = outputs;
    });
    return { outputs: values as Value[], logits };
  }

  /** The outputs for these numbers, through a forward function compiled once (no graph per call). */
  predict(input: readonly number[]): number[] {
    return this.predictAll([input])[0]!;
  }

  /**
   * The outputs for each of these inputs: like `predict` for each, the very same numbers, but the
   * compiled forward function takes the parameters' current values once for all of them, and a
   * network of 150 parameters or more runs them many at once (`Compiled.batched`).
   */
  predictAll(inputs: readonly (readonly number[])[]): number[][] {
    const wrong = inputs.find((input) => input.length !== this.inputSize);
    if (wrong !== undefined) {
      throw new NeuralNetworkError(
        `the network takes ${this.inputSize} inputs, got ${wrong.length}`,
      );
    }
    if (inputs.length < 2 || !gainsFromBatches(this.shape)) {
      const forward = this.forwardFunction();
      return inputs.map((input) => [...forward(input)]);
    }
    this.batchedForward ??= this.forwardFunction().batched(widestBatch);
    this.batchedForward.syncFromValues();
    return predictInBatches(this.batchedForward, inputs);
  }

  /**
   * The compiled forward function with the parameters' current values, for many predictions in a
   * row (the parameters may have changed since the last call, so it is brought up to date once).
   * @internal
   */
  forwardFunction(): Compiled {
    if (this.compiledForward === undefined) {
      const { inputs, outputs } = this.placeholderGraph();
      // A fresh forward graph has nothing to simplify (at 784-32-10, simplifying was half the compile).
      this.compiledForward = compile(outputs, {
        inputs,
        parameters: this.parameters(),
        simplify: false,
      });
    }
    this.compiledForward.syncFromValues();
    return this.compiledForward;
  }

  /**
   * The network's graph over input variables `x1, …` that callers set before evaluating: built
   * once, so predicting and training allocate nothing per sample. `neurons` holds every neuron's
   * output by its label, in order: `h1, h2, …`, then `o1, …`; `logits` are the output neurons'
   * own outputs (before a softmax; the outputs themselves otherwise).
   */
  placeholderGraph(): {
    inputs: Variable[];
    outputs: Value[];
    logits: Value[];
    neurons: ReadonlyMap<string, Value>;
  } {
    if (this.graph === undefined) {
      const inputs = Array.from({ length: this.inputSize }, (_, i) => variable(0, `x${i + 1}`));
      const neurons = new Map<string, Value>();
      const { outputs, logits } = this.build(inputs, neurons);
      this.graph = { inputs, outputs, logits, neurons };
    }
    return this.graph;
  }
}

/**
 * The lecture's 2-2-1 sigmoid network, `w1…w6` and `b1…b3` numbered as the lecture numbers them
 * (h1 has w1, w2, b1; h2 has w3, w4, b2; o1 has w5, w6, b3), drawn from N(0, 1).
 */
export function lectureNetwork(
  options: Omit<NetworkOptions, 'activation' | 'outputActivation'> = {},
): Network {
  return new Network([2, 2, 1], { activation: 'sigmoid', ...options });
}
