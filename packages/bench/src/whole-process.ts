/**
 * W1 as whole processes: `node` started, the program loaded, the lecture's network trained (1000
 * epochs, per-sample SGD at 0.1) and its prediction for Emily printed, timed from outside. The
 * hand-written loop has the data and starting weights written into its source and imports
 * nothing; dendrite's imports `@dendrite/nn`. Both must print the same prediction. Five runs each,
 * taking turns; medians. Part of `pnpm bench` (run.ts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lectureData, lectureNetwork } from '@dendrite/nn';

const runs = 5;

/** The hand loop's program, with the lecture's data and dendrite's seed-1 starting weights in it. */
function handProgram(): string {
  const w = lectureNetwork({ seed: 1 })
    .parameters()
    .map((p) => p.value);
  const data = lectureData.map(({ input, target }) => [...input, target]);
  return `const w = ${JSON.stringify(w)};
const data = ${JSON.stringify(data)};
const s = (z) => 1 / (1 + Math.exp(-z));
for (let epoch = 0; epoch < 1000; epoch++) {
  for (const [x1, x2, y] of data) {
    const h1 = s(w[0] * x1 + w[1] * x2 + w[2]);
    const h2 = s(w[3] * x1 + w[4] * x2 + w[5]);
    const o = s(w[6] * h1 + w[7] * h2 + w[8]);
    const d = -2 * (y - o) * o * (1 - o);
    const [d1, d2] = [d * w[6] * h1 * (1 - h1), d * w[7] * h2 * (1 - h2)];
    w[6] -= 0.1 * d * h1; w[7] -= 0.1 * d * h2; w[8] -= 0.1 * d;
    w[0] -= 0.1 * d1 * x1; w[1] -= 0.1 * d1 * x2; w[2] -= 0.1 * d1;
    w[3] -= 0.1 * d2 * x1; w[4] -= 0.1 * d2 * x2; w[5] -= 0.1 * d2;
  }
}
const [h1, h2] = [s(w[0] * -7 + w[1] * -3 + w[2]), s(w[3] * -7 + w[4] * -3 + w[5])];
console.log(s(w[6] * h1 + w[7] * h2 + w[8]));`;
}

const dendriteProgram = `import { lectureData, lectureNetwork, train } from '@dendrite/nn';
const network = lectureNetwork({ seed: 1 });
train(network, lectureData, { epochs: 1000, learningRate: 0.1 });
console.log(network.predict([-7, -3])[0]);`;

/** Runs both programs in fresh processes and returns the markdown line with their medians. */
export function wholeProcessW1(): string {
  const programs = { 'hand-written loop': handProgram(), dendrite: dendriteProgram };
  const times: Record<string, number[]> = { 'hand-written loop': [], dendrite: [] };
  const printed = new Set<string>();
  for (let round = 0; round < runs; round++) {
    for (const [name, program] of Object.entries(programs)) {
      const start = performance.now();
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], {
        cwd: new URL('..', import.meta.url),
        encoding: 'utf8',
      });
      times[name]!.push(performance.now() - start);
      printed.add(output.trim());
    }
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const [hand, ours] = [median(times['hand-written loop']!), median(times.dendrite!)];
  const agree =
    printed.size === 1
      ? 'the same prediction'
      : `different predictions: ${[...printed].join(', ')}`;
  const line = `W1 as whole processes (start, load, train, print; medians of ${runs}): hand-written loop ${hand.toFixed(0)} ms, dendrite ${ours.toFixed(0)} ms (${(ours / hand).toFixed(2)}×); ${agree}.`;
  console.log(line);
  return line;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) wholeProcessW1();
