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
import { trainer, type Example } from '@dendrite/nn';
import {
  batchSize,
  examplesPerRun,
  heapMB,
  job,
  large,
  layerOffsets,
  learningRate,
  rounds,
  shapes,
  type Run,
} from './sizes-job.js';
import { float64Peers, missingPeer } from './sizes-f64-peers.js';
import { sizePeers } from './sizes-peers.js';

function dendrite(shape: number[]): Run {
  const { examples, network: makeNetwork, loss, epochs } = job(shape);
  const start = performance.now();
  const network = makeNetwork();
  const run = trainer(network, examples, { learningRate, batchSize, loss, shuffle: false });
  const buildMs = performance.now() - start;
  const timed = performance.now();
  let [finalLoss, firstTenMs] = [NaN, NaN];
  for (let e = 0; e < epochs; e++) {
    finalLoss = run.epoch().trainLoss;
    if (e === 9) firstTenMs = performance.now() - timed;
  }
  const ms = performance.now() - timed;
  return {
    buildMs,
    epochs,
    perExample: (ms * 1000) / (epochs * examplesPerRun),
    firstTenMs,
    finalLoss,
    mode: run.mode ?? 'eager',
    heapMB: heapMB(),
  };
}

/** The same training by hand: loops over Float64Arrays, the hand-derived gradients. */
function handLoop(shape: number[]): Run {
  const { examples, network, epochs } = job(shape);
  const start = performance.now();
  const w = Float64Array.from(network().parameters(), (p) => p.value);
  const layers = shape.length - 1;
  const softmax = shape.at(-1)! > 1;
  const activity = shape.map((n) => new Float64Array(n));
  const delta = shape.map((n) => new Float64Array(n));
  const offsets = layerOffsets(shape);
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
    mode: '',
    heapMB: heapMB(),
  };
}

const contenders: Record<string, (shape: number[]) => Run | Promise<Run>> = {
  'hand-written loop': handLoop,
  dendrite,
  ...sizePeers,
  ...float64Peers,
};

/** A shape's runs at a batch size: hand loop and dendrite `rounds` times, each peer once. */
function measure(shape: string, batch: number, peers: string[]): Record<string, Run[]> {
  const runs: Record<string, Run[]> = {};
  for (let round = 0; round < (shape === large ? 1 : rounds); round++) {
    for (const name of ['hand-written loop', 'dendrite', ...(round === 0 ? peers : [])]) {
      const output = execFileSync(
        process.execPath,
        ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--worker', shape, name],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, SIZES_BATCH: String(batch) },
        },
      );
      (runs[name] ??= []).push(JSON.parse(output) as Run);
    }
  }
  return runs;
}

const median = (list: Run[]) =>
  [...list].sort((a, b) => a.perExample - b.perExample)[Math.floor(list.length / 2)]!;

/** The peers that can run here, and a note for each that cannot. */
function availablePeers(names: string[], notes: Set<string>): string[] {
  return names.filter((name) => {
    const missing = missingPeer(name);
    if (missing !== undefined) notes.add(`${name} skipped: ${missing}.`);
    return missing === undefined;
  });
}

/** Runs every shape in fresh processes, taking turns; returns the markdown section. */
export function sizesBenchmark(withLarge = false): string {
  const rows: string[] = [];
  const rows32: string[] = [];
  const notes = new Set<string>();
  const f64 = availablePeers(Object.keys(float64Peers), notes);
  for (const shape of withLarge ? [...shapes, large] : shapes) {
    // brain.js, per-sample and many times slower, not on the large shape.
    const peers = [...Object.keys(sizePeers), ...f64].filter(
      (name) => !(name === 'brain.js' && shape === large),
    );
    const runs = measure(shape, 10, peers);
    const [hand, ours] = [median(runs['hand-written loop']!), median(runs.dendrite!)];
    const parameters = shape
      .split('-')
      .map(Number)
      .reduce((sum, n, i, all) => (i === 0 ? 0 : sum + all[i]! * (all[i - 1]! + 1)), 0);
    const tenEpochsMs = (ours.perExample * examplesPerRun * 10) / 1000;
    const peer = (name: string) => {
      const run = runs[name]?.[0];
      return run === undefined ? '—' : `${(run.perExample / hand.perExample).toFixed(1)}`;
    };
    rows.push(
      `| ${shape} | ${parameters.toLocaleString('en')} | ${hand.perExample.toFixed(1)} | ${ours.perExample.toFixed(1)} | ${(ours.perExample / hand.perExample).toFixed(2)} | ${versus(ours, runs.PyTorch)} | ${versus(ours, runs['jax-js'])} | ${peer('tfjs (cpu)')} | ${peer('brain.js')} | ${ours.mode} | ${ours.buildMs.toFixed(0)} | ${((100 * ours.buildMs) / (ours.buildMs + tenEpochsMs)).toFixed(1)}% | ${((100 * ours.buildMs) / (ours.buildMs + ours.firstTenMs!)).toFixed(1)}% | ${hand.heapMB.toFixed(0)} / ${ours.heapMB.toFixed(0)} | ${hand.finalLoss.toPrecision(10)} | ${ours.finalLoss.toPrecision(10)} |`,
    );
    console.log(rows.at(-1));
    const at32 = measure(shape, 32, f64);
    const [hand32, ours32] = [median(at32['hand-written loop']!), median(at32.dendrite!)];
    rows32.push(
      `| ${shape} | ${hand32.perExample.toFixed(1)} | ${ours32.perExample.toFixed(1)} | ${(ours32.perExample / hand32.perExample).toFixed(2)} | ${versus(ours32, at32.PyTorch)} | ${versus(ours32, at32['jax-js'])} | ${ours32.mode} | ${hand32.finalLoss.toPrecision(10)} | ${ours32.finalLoss.toPrecision(10)} |`,
    );
    console.log(rows32.at(-1));
  }
  return [
    '| shape | parameters | hand loop µs/example | dendrite µs/example | dendrite × hand loop | PyTorch µs/example (dendrite ÷ PyTorch) | jax-js µs/example (dendrite ÷ jax-js) | tfjs (cpu) × hand loop | brain.js × hand loop | mode | dendrite build ms | build share of 10 epochs | build share of the first 10 epochs as run | heap MB (hand / dendrite) | final loss, hand loop | final loss, dendrite |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The same at mini-batches of 32:',
    '',
    '| shape | hand loop µs/example | dendrite µs/example | dendrite × hand loop | PyTorch µs/example (dendrite ÷ PyTorch) | jax-js µs/example (dendrite ÷ jax-js) | mode | final loss, hand loop | final loss, dendrite |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows32,
    ...(notes.size > 0 ? ['', ...notes] : []),
  ].join('\n');
}

/** A peer's µs per example, and dendrite's time as a fraction of it. */
function versus(ours: Run, runs: Run[] | undefined): string {
  const run = runs?.[0];
  if (run === undefined) return '—';
  return `${run.perExample.toFixed(1)} (${(ours.perExample / run.perExample).toFixed(2)})`;
}

// Run as a script (not when run.ts imports it, whose own workers take `--worker` too).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--worker') {
    const shape = process.argv[3]!.split('-').map(Number);
    console.log(JSON.stringify(await contenders[process.argv[4]!]!(shape)));
  } else console.log(sizesBenchmark(process.argv.includes('--large')));
}
