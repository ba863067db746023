// W4: scikit-learn's 8 × 8 digits, ten classes: a 64-32-10 network with a softmax output,
// categorical cross-entropy, mini-batches of 32 and Adam, against a hand-written loop with the
// hand-derived softmax gradient p − y, and the npm peers that can train such a network.
import { Network, taskMetrics, train } from '@dendrite/nn';
import { brain, convnet, tensorflow } from './digits-peers.js';
import {
  classes,
  hiddens,
  inputs,
  outcomeOf,
  outputOffset,
  type DigitsContender,
} from './digits-workload.js';

export { digitsWorkload, type DigitsWorkload, type DigitsContender } from './digits-workload.js';

const dendrite: DigitsContender = (workload) => ({
  run() {
    const network = new Network(workload.shape, {
      activation: 'tanh',
      outputActivation: 'softmax',
    });
    network.parameters().forEach((p, i) => (p.value = workload.initial[i]!));
    train(network, workload.train, {
      epochs: workload.epochs,
      learningRate: workload.learningRate,
      batchSize: workload.batchSize,
      loss: 'categoricalCrossEntropy',
      optimizer: 'adam',
    });
    const task = { kind: 'classification' as const, classes: [...'0123456789'] };
    taskMetrics(network, workload.test, { task, loss: 'categoricalCrossEntropy' }); // as the CLI reports
    return outcomeOf(workload, (input) => network.predict(input));
  },
});

/** The hand-written loop's state: parameters in dendrite's order, their gradients and Adam's moments. */
interface Hand {
  p: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  steps: number;
  hidden: Float64Array;
  probabilities: Float64Array;
  deltaHidden: Float64Array;
}

/** tanh hidden layer, then softmax with the largest logit subtracted. */
function forwardByHand(s: Hand, x: readonly number[]): Float64Array {
  const { p, hidden, probabilities } = s;
  for (let j = 0, o = 0; j < hiddens; j++, o += inputs + 1) {
    let z = p[o]! * x[0]!;
    for (let i = 1; i < inputs; i++) z += p[o + i]! * x[i]!;
    hidden[j] = Math.tanh(z + p[o + inputs]!);
  }
  let largest = -Infinity;
  for (let k = 0, o = outputOffset; k < classes; k++, o += hiddens + 1) {
    let z = p[o]! * hidden[0]!;
    for (let j = 1; j < hiddens; j++) z += p[o + j]! * hidden[j]!;
    probabilities[k] = z + p[o + hiddens]!;
    if (probabilities[k]! > largest) largest = probabilities[k]!;
  }
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += probabilities[k] = Math.exp(probabilities[k]! - largest);
  for (let k = 0; k < classes; k++) probabilities[k]! /= sum;
  return probabilities;
}

/** The hand-derived gradients: δ = p − y at the logits, δ · (1 − h²) through the tanh layer. */
function backwardByHand(s: Hand, x: readonly number[], y: readonly number[]): void {
  const { p, g, hidden, probabilities, deltaHidden } = s;
  deltaHidden.fill(0);
  for (let k = 0, o = outputOffset; k < classes; k++, o += hiddens + 1) {
    const delta = probabilities[k]! - y[k]!;
    for (let j = 0; j < hiddens; j++) {
      g[o + j]! += delta * hidden[j]!;
      deltaHidden[j]! += delta * p[o + j]!;
    }
    g[o + hiddens]! += delta;
  }
  for (let j = 0, o = 0; j < hiddens; j++, o += inputs + 1) {
    const delta = deltaHidden[j]! * (1 - hidden[j]! * hidden[j]!);
    for (let i = 0; i < inputs; i++) g[o + i]! += delta * x[i]!;
    g[o + inputs]! += delta;
  }
}

/** Adam on the batch's mean gradient, as dendrite's `adam` computes it. */
function adamByHand(s: Hand, learningRate: number, count: number): void {
  const { p, g, m, v } = s;
  s.steps++;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const correction1 = 1 - beta1 ** s.steps;
  const correction2 = 1 - beta2 ** s.steps;
  for (let i = 0; i < p.length; i++) {
    const gradient = g[i]! / count;
    m[i] = beta1 * m[i]! + (1 - beta1) * gradient;
    v[i] = beta2 * v[i]! + (1 - beta2) * gradient * gradient;
    p[i]! -= (learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
    g[i] = 0;
  }
}

const handWritten: DigitsContender = (workload) => ({
  run() {
    const size = workload.initial.length;
    const s: Hand = {
      p: Float64Array.from(workload.initial),
      g: new Float64Array(size),
      m: new Float64Array(size),
      v: new Float64Array(size),
      steps: 0,
      hidden: new Float64Array(hiddens),
      probabilities: new Float64Array(classes),
      deltaHidden: new Float64Array(hiddens),
    };
    const { train: examples, batchSize, learningRate } = workload;
    for (let epoch = 0; epoch < workload.epochs; epoch++) {
      let count = 0;
      for (const { input, target } of examples) {
        forwardByHand(s, input);
        backwardByHand(s, input, target);
        if (++count === batchSize) {
          adamByHand(s, learningRate, count);
          count = 0;
        }
      }
      if (count > 0) adamByHand(s, learningRate, count);
      let total = 0; // the epoch's loss, as train reports it
      for (const { input, target } of examples)
        total -= Math.log(forwardByHand(s, input)[target.indexOf(1)]!);
      if (!Number.isFinite(total)) throw new Error('diverged');
    }
    return outcomeOf(workload, (input) => Float64Array.from(forwardByHand(s, input)));
  },
});

/** W4's contenders by name, with what differs in their maths. */
export const digitsContenders: Record<string, { contender: DigitsContender; notes: string }> = {
  'hand-written loop': { contender: handWritten, notes: 'same maths' },
  'dendrite compiled': { contender: dendrite, notes: 'same maths' },
  'tfjs (cpu)': { contender: tensorflow, notes: 'float32' },
  'brain.js': {
    contender: brain,
    notes:
      'one activation for every layer (sigmoid) and no softmax: its outputs, normalised, score; per-sample Adam',
  },
  convnetjs: { contender: convnet, notes: 'no Adam in convnetjs: Adagrad' },
};
