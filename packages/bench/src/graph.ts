/**
 * W3 graph: eager build + backward of a 458,751-node tree (65,536 leaves tanh(x_i·w_i + b_i)
 * summed pairwise) and of a 1,000,000-node chain: dendrite against a micrograd-style port.
 * It runs as plain JavaScript compiled by tsc against the built package (tsx would wrap every
 * closure in a naming helper and slow the closure-per-node port). Each measurement runs in a fresh Node process so that heaps do not mix; the contenders take
 * turns, and the report gives medians and ratios. Part of `pnpm bench` (run.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { add, mul, tanh, variable, type Value } from '@dendrite/autograd';
import { MicroValue } from './micrograd-port.js';

const leaves = 65_536;
const treeNodes = 6 * leaves + (leaves - 1);
const chainNodes = 1_000_000;
const rounds = 3;
const repeats = 5;

/** The deterministic numbers of leaf i: x, w, b in [-1, 1). */
const leaf = (i: number) =>
  [Math.sin(i * 12.9898), Math.cos(i * 78.233), Math.sin(i * 0.5)] as const;

/**
 * Build + backward of the tree (with `leaves` leaves); returns the root's value and one leaf's
 * gradient as a checksum.
 */
export const tree = {
  dendrite(leaves: number): number {
    const terms: Value[] = [];
    let first: Value | undefined;
    for (let i = 0; i < leaves; i++) {
      const [x, w, b] = leaf(i);
      const xi = variable(x);
      first ??= xi;
      terms.push(tanh(add(mul(xi, variable(w)), variable(b))));
    }
    const root = sumPairwise(terms, add);
    root.backward();
    return root.value + first!.grad;
  },
  micrograd(leaves: number): number {
    const terms: MicroValue[] = [];
    let first: MicroValue | undefined;
    for (let i = 0; i < leaves; i++) {
      const [x, w, b] = leaf(i);
      const xi = new MicroValue(x);
      first ??= xi;
      terms.push(xi.mul(new MicroValue(w)).add(new MicroValue(b)).tanh());
    }
    const root = sumPairwise(terms, (a, b) => a.add(b));
    root.backward();
    return root.data + first!.grad;
  },
};

/** Build + backward of a chain x + c + c + … of `nodes` nodes; returns x's gradient (1), or throws. */
export const chain = {
  dendrite(nodes: number): number {
    const x = variable(0.5);
    let node: Value = x;
    for (let i = 1; i < nodes / 2; i++) node = add(node, variable(1e-6));
    node.backward();
    return x.grad;
  },
  micrograd(nodes: number): number {
    const x = new MicroValue(0.5);
    let node = x;
    for (let i = 1; i < nodes / 2; i++) node = node.add(new MicroValue(1e-6));
    node.backward();
    return x.grad;
  },
};

function sumPairwise<T>(terms: T[], plus: (a: T, b: T) => T): T {
  let level = terms;
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? plus(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

type Contender = 'dendrite' | 'micrograd';
interface Measurement {
  milliseconds: number[];
  heapMB: number;
  rssMB: number;
  checksum: number;
}

/** In a child process: one cold run measured for memory (after a full GC), then `repeats` warm runs timed. */
function worker(contender: Contender, workload: 'tree' | 'chain'): void {
  const run = () => (workload === 'tree' ? tree[contender](leaves) : chain[contender](chainNodes));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let heapPeak = 0;
  // Sample the heap while the graph is alive: build + backward run inside, the sampler after.
  const checksum = run();
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
  const rssPeak = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const milliseconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    milliseconds.push(performance.now() - start);
  }
  const result: Measurement = {
    milliseconds,
    heapMB: heapPeak / 2 ** 20,
    rssMB: rssPeak / 2 ** 20,
    checksum,
  };
  process.stdout.write(JSON.stringify(result));
}

function measure(contender: Contender, workload: 'tree' | 'chain'): Measurement | string {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--graph-worker', contender, workload],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    return /Maximum call stack size exceeded/.test(child.stderr)
      ? 'stack overflow'
      : `failed: ${child.stderr.slice(0, 200)}`;
  }
  return JSON.parse(child.stdout) as Measurement;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs W3 and returns its report as Markdown (it also prints it). */
export function graphBenchmark(): string {
  const report: string[] = [];
  const say = (line: string) => (console.log(line), report.push(line));
  say(
    `Tree: ${treeNodes.toLocaleString('en')} nodes, build + backward, ${rounds} processes × ${repeats} warm runs each (medians).`,
  );
  const results: Record<Contender, Measurement[]> = { dendrite: [], micrograd: [] };
  for (let round = 0; round < rounds; round++) {
    for (const contender of ['micrograd', 'dendrite'] as const) {
      const result = measure(contender, 'tree');
      if (typeof result === 'string') throw new Error(`${contender}: ${result}`);
      results[contender].push(result);
    }
  }
  const summary = (['dendrite', 'micrograd'] as const).map((contender) => {
    const runs = results[contender];
    const ms = median(runs.map((r) => median(r.milliseconds)));
    const cold = median(runs.map((r) => r.milliseconds[0]!));
    return {
      contender,
      'warm ms': +ms.toFixed(1),
      'first-run ms': +cold.toFixed(1),
      'M nodes/s': +(treeNodes / ms / 1000).toFixed(2),
      'heap MB': +median(runs.map((r) => r.heapMB)).toFixed(1),
      'peak RSS MB': +median(runs.map((r) => r.rssMB)).toFixed(1),
      checksum: runs[0]!.checksum,
    };
  });
  console.table(summary);
  const header = Object.keys(summary[0]!) as (keyof (typeof summary)[0])[];
  report.push('', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
  for (const row of summary) report.push(`| ${header.map((h) => row[h]).join(' | ')} |`);
  report.push('');
  const [ours, port] = summary as [(typeof summary)[0], (typeof summary)[0]];
  say(
    `dendrite vs micrograd-style port: ${(port['warm ms'] / ours['warm ms']).toFixed(2)}× as fast (target ≥ 2.5×), ` +
      `${(ours['heap MB'] / port['heap MB']).toFixed(2)}× the heap and ${(ours['peak RSS MB'] / port['peak RSS MB']).toFixed(2)}× the peak RSS (target ≤ 0.5×).`,
  );
  if (Math.abs(ours.checksum - port.checksum) > 1e-9 * Math.abs(port.checksum)) {
    throw new Error(`the contenders disagree: ${ours.checksum} vs ${port.checksum}`);
  }

  say('');
  say(`Chain: ${chainNodes.toLocaleString('en')} nodes (x + c + c + …), build + backward:`);
  for (const contender of ['dendrite', 'micrograd'] as const) {
    const result = measure(contender, 'chain');
    say(
      `- ${contender}: ${typeof result === 'string' ? result : `ok, dL/dx = ${result.checksum}, ${median(result.milliseconds).toFixed(0)} ms (${(chainNodes / median(result.milliseconds) / 1000).toFixed(2)} M nodes/s)`}`,
    );
  }
  return report.join('\n');
}

if (process.argv[2] === '--graph-worker') {
  worker(process.argv[3] as Contender, process.argv[4] as 'tree' | 'chain');
}
