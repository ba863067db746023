/**
 * The engine at scale, one measurement per fresh process: second derivatives of a deep chain
 * (grad of grad of tanh(tanh(…x))), and compile with a million inputs. Prints memory per chain
 * node and times; no pass or fail. `pnpm --filter @dendrite/bench scale [chain length]`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  add,
  compile,
  grad,
  tanh,
  topologicalOrder,
  variable,
  type Value,
} from '@dendrite/autograd';

const heapMB = () => (globalThis.gc?.(), process.memoryUsage().heapUsed / 2 ** 20);
const peakMB = () => process.resourceUsage().maxRSS / 1024;

function secondDerivative(length: number): string {
  const x = variable(0.1, 'x');
  let chain: Value = x;
  for (let i = 0; i < length; i++) chain = tanh(chain);
  const [heap0, peak0] = [heapMB(), peakMB()];
  let start = performance.now();
  const first = grad(chain, x);
  const firstSeconds = (performance.now() - start) / 1000;
  const [heap1, peak1] = [heapMB(), peakMB()];
  start = performance.now();
  const second = grad(first, x);
  const secondSeconds = (performance.now() - start) / 1000;
  const [heap2, peak2] = [heapMB(), peakMB()];
  const perNode = (mb: number) => ((mb * 1024) / length).toFixed(2);
  const nodes = (g: Value) => (topologicalOrder([g]).length / length).toFixed(1);
  return [
    `grad of a ${length.toLocaleString('en')}-deep tanh chain: ${nodes(first)} nodes per chain node, ` +
      `${perNode(heap1 - heap0)} KB kept, ${perNode(peak1 - peak0)} KB peak per chain node, ${firstSeconds.toFixed(1)} s`,
    `grad of that grad: ${nodes(second)} nodes per chain node, ${perNode(heap2 - heap1)} KB kept, ` +
      `${perNode(peak2 - peak1)} KB peak per chain node, ${secondSeconds.toFixed(1)} s (value ${second.value})`,
  ].join('\n');
}

function manyInputs(count: number): string {
  const inputs = Array.from({ length: count }, (_, i) => variable(i));
  let total: Value = inputs[0]!;
  for (let i = 1; i < count; i++) total = add(total, inputs[i]!);
  const start = performance.now();
  const summed = compile([total], { inputs });
  const seconds = (performance.now() - start) / 1000;
  return `compile of a sum of ${count.toLocaleString('en')} inputs (${summed.mode}): ${seconds.toFixed(1)} s`;
}

const [, , task] = process.argv;
if (task === '--worker') {
  const [, , , which, n] = process.argv;
  console.log(which === 'chain' ? secondDerivative(Number(n)) : manyInputs(Number(n)));
} else {
  const length = Number(task ?? 1_000_000);
  for (const [which, n] of [
    ['chain', length],
    ['inputs', 1_000_000],
  ] as const) {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--worker', which, String(n)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    console.log(run.status === 0 ? run.stdout.trim() : `${which} failed (exit ${run.status})`);
  }
}
