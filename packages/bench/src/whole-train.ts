/**
 * `dendrite train` as a user meets it, whole process: `node` started, the CLI loaded, a CSV of
 * 500 rows read, 4 epochs trained and the model saved, timed from outside; beside a hand-written
 * program that does the same work on the same shape (reads the CSV, normalises the inputs, trains
 * 4 epochs of SGD on mini-batches of 10, writes the weights as JSON), with no imports. Shapes
 * 2-64-64-1, 64-64-1 and 784-32-1, one output (a regression). Five runs each, taking turns;
 * medians. Part of `pnpm bench` (run.ts); alone: `pnpm --filter @dendrite/bench whole-train
 * [--cli path/to/main.js]` (another build of the CLI, say an older one, to compare).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = 5;
const rows = 500;
const epochs = 4;
const shapes = ['2-64-64-1', '64-64-1', '784-32-1'];
const cliAt = process.argv.indexOf('--cli');
const cli =
  cliAt > 0
    ? process.argv[cliAt + 1]!
    : fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));

/** A CSV of `rows` random inputs and a target that depends on the first two. */
function csv(inputs: number): string {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const lines = [[...Array.from({ length: inputs }, (_, i) => `x${i}`), 'y'].join(',')];
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: inputs }, () => random() * 2 - 1);
    lines.push([...x.map((v) => v.toFixed(6)), (x[0]! * x[1]!).toFixed(6)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The hand-written program: the same reading, normalising, training and saving, by hand. */
function handProgram(shape: number[], data: string, model: string): string {
  return `const fs = require('node:fs');
const shape = ${JSON.stringify(shape)};
const lines = fs.readFileSync(${JSON.stringify(data)}, 'utf8').trim().split('\\n').slice(1);
const table = lines.map((line) => line.split(',').map(Number));
const n = shape[0];
const mean = new Float64Array(n), scale = new Float64Array(n);
for (const row of table) for (let i = 0; i < n; i++) mean[i] += row[i] / table.length;
for (const row of table) for (let i = 0; i < n; i++) scale[i] += (row[i] - mean[i]) ** 2 / table.length;
for (let i = 0; i < n; i++) scale[i] = Math.sqrt(scale[i]) || 1;
const examples = table.map((row) => ({ x: row.slice(0, n).map((v, i) => (v - mean[i]) / scale[i]), y: row[n] }));
let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
// Each neuron's weights then its bias, layer after layer, in one array (as dendrite orders them).
const offsets = [];
let count = 0;
for (let l = 0; l < shape.length - 1; l++) { offsets.push(count); count += shape[l + 1] * (shape[l] + 1); }
const w = new Float64Array(count), sums = new Float64Array(count);
for (let l = 0, at = 0; l < shape.length - 1; l++) {
  const limit = Math.sqrt(6 / (shape[l] + shape[l + 1]));
  for (let j = 0; j < shape[l + 1]; j++, at += shape[l] + 1) for (let i = 0; i < shape[l]; i++) w[at + i] = (random() * 2 - 1) * limit;
}
const layers = shape.length - 1;
const activity = shape.map((size) => new Float64Array(size)), delta = shape.map((size) => new Float64Array(size));
function forward(x) {
  activity[0].set(x);
  for (let l = 0; l < layers; l++) {
    const n = shape[l], a = activity[l], z = activity[l + 1];
    for (let j = 0, at = offsets[l]; j < z.length; j++, at += n + 1) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += w[at + i] * a[i];
      sum += w[at + n];
      z[j] = l < layers - 1 ? Math.tanh(sum) : sum;
    }
  }
  return activity[layers][0];
}
function backward({ x, y }) {
  delta[layers][0] = 2 * (forward(x) - y);
  for (let l = layers - 1; l >= 0; l--) {
    const n = shape[l], a = activity[l], dOut = delta[l + 1], dIn = delta[l];
    if (l > 0) dIn.fill(0);
    for (let j = 0, at = offsets[l]; j < dOut.length; j++, at += n + 1) {
      const g = dOut[j];
      if (l > 0) for (let i = 0; i < n; i++) dIn[i] += g * w[at + i];
      for (let i = 0; i < n; i++) sums[at + i] += g * a[i];
      sums[at + n] += g;
    }
    if (l > 0) for (let i = 0; i < n; i++) dIn[i] *= 1 - a[i] ** 2;
  }
}
for (let epoch = 0; epoch < ${epochs}; epoch++) {
  for (let at = 0; at < examples.length; at += 10) {
    const size = Math.min(10, examples.length - at);
    for (let e = at; e < at + size; e++) backward(examples[e]);
    for (let i = 0; i < count; i++) w[i] -= (0.01 / size) * sums[i];
    sums.fill(0);
  }
  let loss = 0; for (const e of examples) loss += (forward(e.x) - e.y) ** 2 / examples.length;
  console.log('epoch', epoch + 1, 'loss', loss);
}
fs.writeFileSync(${JSON.stringify(model)}, JSON.stringify([...w]));
`;
}

/** Runs both programs for each shape in fresh processes; returns the markdown section. */
export function wholeTrainBenchmark(): string {
  const directory = mkdtempSync(join(tmpdir(), 'dendrite-whole-train-'));
  const lines: string[] = [];
  try {
    for (const name of shapes) {
      const shape = name.split('-').map(Number);
      const data = join(directory, `${name}.csv`);
      writeFileSync(data, csv(shape[0]!));
      const model = join(directory, `${name}.json`);
      const hand = ['-e', handProgram(shape, data, join(directory, `${name}-hand.json`))];
      const layers = shape.slice(1, -1).join(',');
      const ours = [cli, 'train', data, '--layers', layers, '--epochs', String(epochs)];
      ours.push('--optimizer', 'sgd', '--learning-rate', '0.01', '--batch-size', '10');
      ours.push('--test-split', '0', '--patience', '0', '--no-refit', '-q', '-o', model);
      const times: Record<string, number[]> = { hand: [], dendrite: [] };
      for (let round = 0; round < runs; round++) {
        for (const [who, args] of [
          ['hand', hand],
          ['dendrite', ours],
        ] as const) {
          const start = performance.now();
          execFileSync(process.execPath, args, { stdio: 'ignore' });
          times[who]!.push(performance.now() - start);
        }
      }
      const median = (list: number[]) =>
        [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
      const [h, d] = [median(times.hand!), median(times.dendrite!)];
      lines.push(`| ${name} | ${h.toFixed(0)} | ${d.toFixed(0)} | ${(d / h).toFixed(2)} |`);
      console.log(lines.at(-1));
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return [
    '| shape | hand-written program ms | dendrite train ms | dendrite × hand |',
    '| --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(wholeTrainBenchmark());
