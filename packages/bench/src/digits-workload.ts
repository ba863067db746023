// W4's job: scikit-learn's 8 × 8 digits, the same data, network and starting weights for every
// contender, and how a contender's result is scored.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { encodeClass, Network, type Example } from '@dendrite/nn';
import type { Outcome } from './contenders.js';

/** The network's sizes: 64 pixels, 32 hidden neurons, 10 classes; where the output layer's parameters start. */
export const [inputs, hiddens, classes] = [64, 32, 10];
export const outputOffset = hiddens * (inputs + 1);

/** The W4 job, identical for every contender. */
export interface DigitsWorkload {
  name: string;
  shape: [number, number, number];
  batchSize: number;
  learningRate: number;
  epochs: number;
  /** The first 80% of the rows, in the file's order, and the rest. */
  train: Example<number[]>[];
  test: Example<number[]>[];
  /** Starting parameters in dendrite's order (Xavier, seed 1). */
  initial: number[];
}

/** W4: the digits (pixels 0–16 scaled to [0, 1]), 64-32-10 tanh then softmax, Adam at 0.01. */
export function digitsWorkload(epochs = 20, rows = Infinity): DigitsWorkload {
  const file = new URL('../../fixtures/data/digits.csv.gz', import.meta.url);
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n').slice(0, rows);
  const examples = lines.map((line) => {
    const cells = line.split(',').map(Number);
    const digit = cells.pop()!;
    return {
      input: cells.map((x) => x / 16),
      target: encodeClass(digit, 10, 'softmax') as number[],
    };
  });
  const cut = Math.floor(examples.length * 0.8);
  const shape: [number, number, number] = [64, 32, 10];
  const network = new Network(shape, {
    activation: 'tanh',
    outputActivation: 'softmax',
    init: 'xavier',
    seed: 1,
  });
  return {
    name: 'W4 digits',
    shape,
    batchSize: 32,
    learningRate: 0.01,
    epochs,
    train: examples.slice(0, cut),
    test: examples.slice(cut),
    initial: network.parameters().map((p) => p.value),
  };
}

/** A contender for W4: prepares untimed, then `run` trains (timed) and reports. */
export type DigitsContender = (workload: DigitsWorkload) => { run(): Outcome | Promise<Outcome> };

/** The training loss, the first example's probabilities and the test accuracy of a predictor. */
export function outcomeOf(
  workload: DigitsWorkload,
  predict: (input: number[]) => ArrayLike<number>,
): Outcome {
  let total = 0;
  for (const { input, target } of workload.train) {
    const p = predict(input);
    total -= Math.log(p[target.indexOf(1)]!);
  }
  const argmax = (p: ArrayLike<number>) =>
    Array.prototype.indexOf.call(p, Math.max(...Array.from(p)));
  const correct = workload.test.filter(
    (e) => argmax(predict(e.input)) === e.target.indexOf(1),
  ).length;
  return {
    finalLoss: total / workload.train.length,
    outputs: Array.from(predict(workload.train[0]!.input)),
    accuracy: correct / workload.test.length,
  };
}
