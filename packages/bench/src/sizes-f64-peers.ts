// The sizes benchmark's float64 peers, given the same examples, starting weights, batches and
// learning rate as the hand loop: PyTorch (Debian's python3-torch, one thread, run as
// /usr/bin/python3 or $PYTHON) and jax-js (@jax-js/jax on its WebAssembly device, `jit` of
// `valueAndGrad`). Each is skipped, with a note, where it is not installed
// (packages/bench/scripts/install-peers.sh installs both).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as Jax from '@jax-js/jax';
import { batchSize, learningRate, runOf, startingWeights, type Run } from './sizes-job.js';

/** The job as plain numbers: inputs, targets, and each layer's weights (out × in) and biases. */
function plainJob(shape: number[]) {
  const { examples, epochs, weight, bias } = startingWeights(shape);
  const weights = shape.slice(1).map((units, l) => {
    const neurons = Array.from({ length: units }, (_, j) => j);
    return [
      neurons.map((j) => Array.from({ length: shape[l]! }, (_, i) => weight(l, j, i))),
      neurons.map((j) => bias(l, j)),
    ] as const;
  });
  const inputs = examples.map((e) => e.input);
  const targets = examples.map((e) => e.target);
  return { shape, epochs, learningRate, batchSize, inputs, targets, weights };
}

/** Why a peer cannot run here, or undefined. */
export function missingPeer(name: string): string | undefined {
  if (name === 'PyTorch') {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    } catch {
      return `no PyTorch for ${python} (packages/bench/scripts/install-peers.sh, or apt-get install python3-torch)`;
    }
  }
  return undefined;
}

const python = process.env.PYTHON ?? '/usr/bin/python3';

function pytorch(shape: number[]): Run {
  const script = fileURLToPath(new URL('../src/sizes-torch.py', import.meta.url));
  const output = execFileSync(python, [script], {
    input: JSON.stringify(plainJob(shape)),
    encoding: 'utf8',
    maxBuffer: 2 ** 28,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  return JSON.parse(output) as Run;
}

async function jaxJs(shape: number[]): Promise<Run> {
  // Node 20 has no Float16Array, which jax-js checks arrays against.
  (globalThis as { Float16Array?: unknown }).Float16Array ??= class Float16Array {};
  const jax: typeof Jax = await import('@jax-js/jax');
  const { numpy: np } = jax;
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  const { epochs, inputs, targets, weights } = plainJob(shape);
  const f64 = { dtype: np.float64 };
  const softmax = shape.at(-1)! > 1;
  const matrix = (rows: readonly (readonly number[])[]) =>
    np.array(Float64Array.from(rows.flat()), f64).reshape([rows.length, rows[0]!.length]);
  type Layer = { w: Jax.Array; b: Jax.Array };
  let params: Layer[] = weights.map(([w, b]) => ({
    w: matrix(w[0]!.map((_, i) => w.map((row) => row[i]!))), // (in × out)
    b: np.array(Float64Array.from(b), f64),
  }));
  const loss = (layers: Layer[], x: Jax.Array, t: Jax.Array): Jax.Array => {
    let h = x;
    layers.forEach(({ w, b }, l) => {
      const z = np.matmul(h, w).add(b);
      h = l < layers.length - 1 || !softmax ? np.tanh(z) : z;
    });
    if (!softmax) return np.mean(np.square(h.sub(t))).mul(0.5);
    // Cross-entropy of the softmax: log-sum-exp of the logits less the target's logit.
    const largest = np.max(h.ref, 1, { keepdims: true });
    const shifted = h.sub(largest);
    const logSum = np.log(np.sum(np.exp(shifted.ref), 1));
    return np.mean(logSum.sub(np.sum(shifted.mul(t), 1)));
  };
  const step = jax.jit(jax.valueAndGrad(loss));
  const lossOnly = jax.jit(loss);
  const batches: [Jax.Array, Jax.Array][] = [];
  for (let at = 0; at < inputs.length; at += batchSize) {
    const x = matrix(inputs.slice(at, at + batchSize));
    const part = targets.slice(at, at + batchSize);
    batches.push([x, matrix(part.map((t) => (typeof t === 'number' ? [t] : t)))]);
  }
  const everyX = matrix(inputs);
  const everyT = matrix(targets.map((t) => (typeof t === 'number' ? [t] : t)));
  const keep = (layers: Layer[]) => layers.map(({ w, b }) => ({ w: w.ref, b: b.ref }));
  let finalLoss = NaN;
  const start = performance.now();
  for (let e = 0; e < epochs; e++) {
    for (const [x, t] of batches) {
      const [value, gradients] = step(keep(params), x.ref, t.ref);
      value.dispose();
      params = params.map(({ w, b }, l) => ({
        w: w.sub(gradients[l]!.w.mul(learningRate)),
        b: b.sub(gradients[l]!.b.mul(learningRate)),
      }));
    }
    finalLoss = (await lossOnly(keep(params), everyX.ref, everyT.ref).jsAsync()) as number;
  }
  const ms = performance.now() - start;
  return runOf(ms, epochs, finalLoss, 'wasm');
}

/** The float64 peers by name. */
export const float64Peers = { PyTorch: pytorch, 'jax-js': jaxJs };
