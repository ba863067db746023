/**
 * Sizes: per-example training at every size, dendrite's `trainer` against a hand-written loop.
 * Multilayer perceptrons from 105 to 25,450 parameters (and 814,090 with `--large`): tanh hidden
 * layers, a tanh output with half squared error or a softmax with cross-entropy, SGD on
 * mini-batches of 10 (the mean gradient, as W2 and the Playground train), the same starting
 * weights and examples, and each epoch's mean loss, as `trainer` reports it. Each run is a fresh process; the two take turns for three rounds and each row is
 * the median. Part of `pnpm bench` (run.ts); alone: `pnpm --filter @dendrite/bench sizes [--large]`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { largestGeneratedNetwork, Network, trainer, type Example } from '@dendrite/nn';

/** The shapes measured; the last is in the run only with `--large`. */
const shapes = ['2-8-8-1', '2-16-16-1', '2-32-32-1', '2-64-64-1', '64-64-10', '784-32-10'];
const large = '784-1024-10';
const examplesPerRun = 256;
const learningRate = 0.01;
const batchSize = 10;
const rounds = 3;

/** One timed run: the build (network, loss and compile) and the epochs. */
interface Run {
  buildMs: number;
  epochs: number;
  /** Microseconds per example and epoch (a training pass, and a forward pass for the epoch's loss). */
  perExample: number;
  finalLoss: number;
  engine: string;
  heapMB: number;
}

/** The job of a shape: its examples and starting weights, the same for both contenders. */
function job(shape: number[]) {
  const outputs = shape.at(-1)!;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const examples: Example[] = Array.from({ length: examplesPerRun }, () => {
    const input = Array.from({ length: shape[0]! }, () => random() * 2 - 1);
    const label = Math.floor(random() * outputs);
    const target =
      outputs === 1
        ? input[0]! * input[1]! > 0
          ? 1
          : -1
        : Array.from({ length: outputs }, (_, i) => (i === label ? 1 : 0));
    return { input, target };
  });
  const network = new Network(shape, {
    activation: 'tanh',
    outputActivation: outputs === 1 ? 'tanh' : 'softmax',
    init: 'xavier',
    seed: 1,
  });
  const loss = outputs === 1 ? ('halfSquaredError' as const) : ('categoricalCrossEntropy' as const);
  // About a second of the hand loop's work on small networks, 10 epochs at least.
  const parameters = network.parameters().length;
  const epochs = Math.max(10, Math.ceil(2e8 / (parameters * examplesPerRun * 20)));
  return { examples, network, loss, epochs };
}

function dendrite(shape: number[]): Run {
  const start = performance.now();
  const { examples, network, loss, epochs } = job(shape);
  const run = trainer(network, examples, { learningRate, batchSize, loss, shuffle: false });
  const buildMs = performance.now() - start;
  const timed = performance.now();
  let finalLoss = NaN;
  for (let e = 0; e < epochs; e++) finalLoss = run.epoch().trainLoss;
  const ms = performance.now() - timed;
  const engine = network.parameters().length > largestGeneratedNetwork ? 'tape' : 'code';
  return {
    buildMs,
    epochs,
    perExample: (ms * 1000) / (epochs * examplesPerRun),
    finalLoss,
    engine,
    heapMB: heapMB(),
  };
}

/** The same training by hand: loops over Float64Arrays, the hand-derived gradients. */
function handLoop(shape: number[]): Run {
  const start = performance.now();
  const { examples, network, epochs } = job(shape);
  const w = Float64Array.from(network.parameters(), (p) => p.value);
  const layers = shape.length - 1;
  const softmax = shape.at(-1)! > 1;
  const activity = shape.map((n) => new Float64Array(n));
  const delta = shape.map((n) => new Float64Array(n));
  const offsets: number[] = [];
  for (let l = 0, at = 0; l < layers; at += shape[l + 1]! * (shape[l]! + 1), l++) offsets.push(at);
  /** Forward (each neuron's weights, then its bias), and the example's loss; softmax's outputs in place. */
  const forward = ({ input, target }: Example): number => {
    activity[0]!.set(input);
    for (let l = 0; l < layers; l++) {
      const [n, a, z] = [shape[l]!, activity[l]!, activity[l + 1]!];
      for (let j = 0, at = offsets[l]!; j < z.length; j++, at += n + 1) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += w[at + i]! * a[i]!;
        sum += w[at + n]!;
        z[j] = l < layers - 1 || !softmax ? Math.tanh(sum) : sum;
      }
    }
    const y = activity[layers]!;
    if (!softmax) return 0.5 * (y[0]! - (target as number)) ** 2;
    let [max, total, loss] = [-Infinity, 0, 0];
    for (const v of y) max = Math.max(max, v);
    for (const v of y) total += Math.exp(v - max);
    for (let j = 0; j < y.length; j++) {
      y[j] = Math.exp(y[j]! - max) / total;
      loss -= (target as number[])[j]! * Math.log(y[j]!);
    }
    return loss;
  };
  const sums = new Float64Array(w.length);
  /** One example's gradients, added to the batch's sums. */
  const backward = (example: Example) => {
    forward(example);
    const [y, d] = [activity[layers]!, delta[layers]!];
    if (!softmax) d[0] = (y[0]! - (example.target as number)) * (1 - y[0]! ** 2);
    else for (let j = 0; j < y.length; j++) d[j] = y[j]! - (example.target as number[])[j]!;
    for (let l = layers - 1; l >= 0; l--) {
      const [n, a, dOut, dIn] = [shape[l]!, activity[l]!, delta[l + 1]!, delta[l]!];
      if (l > 0) dIn.fill(0);
      for (let j = 0, at = offsets[l]!; j < dOut.length; j++, at += n + 1) {
        const g = dOut[j]!;
        if (l > 0) for (let i = 0; i < n; i++) dIn[i]! += g * w[at + i]!;
        for (let i = 0; i < n; i++) sums[at + i]! += g * a[i]!;
        sums[at + n]! += g;
      }
      if (l > 0) for (let i = 0; i < n; i++) dIn[i]! *= 1 - a[i]! ** 2;
    }
  };
  const update = (size: number) => {
    for (let i = 0; i < w.length; i++) w[i]! -= (learningRate / size) * sums[i]!;
    sums.fill(0);
  };
  const train = (examples: readonly Example[]) => {
    for (let e = 0; e < examples.length; e++) {
      backward(examples[e]!);
      if ((e + 1) % batchSize === 0 || e === examples.length - 1) update((e % batchSize) + 1);
    }
  };
  const buildMs = performance.now() - start;
  const timed = performance.now();
  let finalLoss = NaN;
  for (let e = 0; e < epochs; e++) {
    train(examples);
    finalLoss = 0;
    for (const example of examples) finalLoss += forward(example);
    finalLoss /= examples.length;
  }
  const ms = performance.now() - timed;
  return {
    buildMs,
    epochs,
    perExample: (ms * 1000) / (epochs * examplesPerRun),
    finalLoss,
    engine: '',
    heapMB: heapMB(),
  };
}

const heapMB = () => process.memoryUsage().heapUsed / 2 ** 20;
const contenders = { 'hand-written loop': handLoop, dendrite };
type Name = keyof typeof contenders;

/** Runs every shape in fresh processes, taking turns; returns the markdown section. */
export function sizesBenchmark(withLarge = false): string {
  const rows: string[] = [];
  for (const shape of withLarge ? [...shapes, large] : shapes) {
    const runs: Record<string, Run[]> = {};
    for (let round = 0; round < (shape === large ? 1 : rounds); round++) {
      for (const name of Object.keys(contenders) as Name[]) {
        const output = execFileSync(
          process.execPath,
          ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--worker', shape, name],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        );
        (runs[name] ??= []).push(JSON.parse(output) as Run);
      }
    }
    const median = (list: Run[]) =>
      [...list].sort((a, b) => a.perExample - b.perExample)[Math.floor(list.length / 2)]!;
    const [hand, ours] = [median(runs['hand-written loop']!), median(runs.dendrite!)];
    const parameters = shape
      .split('-')
      .map(Number)
      .reduce((sum, n, i, all) => (i === 0 ? 0 : sum + all[i]! * (all[i - 1]! + 1)), 0);
    const tenEpochsMs = (ours.perExample * examplesPerRun * 10) / 1000;
    rows.push(
      `| ${shape} | ${parameters.toLocaleString('en')} | ${hand.perExample.toFixed(1)} | ${ours.perExample.toFixed(1)} | ${(ours.perExample / hand.perExample).toFixed(2)} | ${ours.engine} | ${ours.buildMs.toFixed(0)} | ${((100 * ours.buildMs) / (ours.buildMs + tenEpochsMs)).toFixed(1)}% | ${hand.heapMB.toFixed(0)} / ${ours.heapMB.toFixed(0)} | ${hand.finalLoss.toPrecision(10)} | ${ours.finalLoss.toPrecision(10)} |`,
    );
    console.log(rows.at(-1));
  }
  return [
    '| shape | parameters | hand loop µs/example | dendrite µs/example | × hand loop | engine | dendrite build ms | build share of 10 epochs | heap MB (hand / dendrite) | final loss, hand loop | final loss, dendrite |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

if (process.argv[2] === '--worker') {
  const shape = process.argv[3]!.split('-').map(Number);
  console.log(JSON.stringify(contenders[process.argv[4] as Name](shape)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(sizesBenchmark(process.argv.includes('--large')));
}
