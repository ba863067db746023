// A neuron's loops over lanes as WebAssembly with 128-bit SIMD, written here byte by byte (no
// toolchain): two lanes per instruction, with a separate multiply and add (never a fused one), so
// every lane rounds as the JavaScript loops of neuron-lanes.ts round, to the bit.

import {
  addTo,
  get,
  i32,
  i32Add,
  i32GeS,
  i32GtS,
  i32Load,
  i32Mul,
  Lanes,
  Locals,
  compileModule,
  instantiate,
  moduleOf,
  set,
  until,
  type Kernel,
} from './wasm.js';

/** The arguments every loop over lanes starts with: its inputs' place, their spacing, their count, the lanes' bytes. */
type OverLanes = [x: number, step: number, n: number, lanesBytes: number];
/** The arguments every loop over weights starts with (see `weightGradients`). */
type OverWeights = [xT: number, row: number, n: number, lanes: number, lanesBytes: number];

/**
 * The kernels, over one memory of doubles; every address and length is in bytes. Each runs one
 * neuron, or (its name ending in 2) two of the same inputs at once, so that each input is loaded
 * once for both.
 */
export interface NeuronKernels {
  /** y[e] = w[0]·x₀[e] + w[1]·x₁[e] + … for the n inputs, input i's lanes at x + i·step. */
  forward(...args: [...OverLanes, y: number, w: number]): void;
  forward2(...args: [...OverLanes, y1: number, y2: number, w1: number, w2: number]): void;
  /**
   * adj(xᵢ)[e] += g[e]·w[i] for the n inputs, input i's adjoints at x + i·step (for two, the
   * first's added first).
   */
  inputAdjoints(...args: [...OverLanes, g: number, w: number]): void;
  inputAdjoints2(...args: [...OverLanes, g1: number, g2: number, w1: number, w2: number]): void;
  /**
   * gradient[i] += g[e]·x[e][i] over the listed lanes in order, for the n weights: lane e's
   * inputs a row of `row` bytes at xT + e·row, the lanes' numbers (i32) at `lanes`.
   */
  weightGradients(...args: [...OverWeights, gradient: number, g: number]): void;
  weightGradients2(
    ...args: [...OverWeights, gradient1: number, gradient2: number, g1: number, g2: number]
  ): void;
  /**
   * A batch's inputs into lanes: `count` examples of n numbers each, one after another from
   * `from`, each number i of example e to `to + i·stride + 8e`.
   */
  intoLanes(from: number, count: number, n: number, to: number, stride: number): void;
}

const groups = [4, 1, 0].map((vectors) => new Lanes(vectors));
const neuronsOf = (count: number) => Array.from({ length: count }, (_, j) => j + 1);
const numbered = (names: string[], count: number) =>
  neuronsOf(count).flatMap((j) => names.map((name) => `${name}${j}`));
/** The sums (or other numbers) of neuron j, one per number of a lane group. */
const sumsOf = (name: string, count: number) =>
  neuronsOf(count).flatMap((j) => [0, 1, 2, 3].map((k) => `${name}${j}_${k}`));

/**
 * A kernel's body: its outer loop, a counter local (a byte offset) from 0 in groups of 8, then 2,
 * then 1 numbers while a whole group fits below `limit` (i32 code), `group` each time round.
 */
function groupLoop(
  f: Locals,
  counter: string,
  limit: number[],
  group: (lanes: Lanes) => number[],
): number[] {
  const at = f.at(counter);
  let code: number[] = [...i32(0), set, at];
  for (const lanes of groups) {
    const done = [get, at, ...i32(lanes.bytes), i32Add, ...limit, i32GtS];
    code = code.concat(until(done, group(lanes).concat(addTo(at, i32(lanes.bytes)))));
  }
  return f.body(code);
}

/**
 * forward(x, step, n, lanesBytes, y…, w…): for each group of lanes (8, then 2, then 1), each
 * neuron's sum in registers, its first product, then each next input's added in order.
 */
function forwardKernel(count: number): number[] {
  const neurons = neuronsOf(count);
  const f = new Locals(
    ['x', 'step', 'n', 'lanesBytes', ...numbered(['y'], count), ...numbered(['w'], count)],
    ['e', 'xi', 'i', ...numbered(['wi'], count)],
    [...sumsOf('s', count), ...numbered(['wv'], count), 'xv'],
  );
  const local = (name: string) => f.at(name);
  return groupLoop(f, 'e', [get, local('lanesBytes')], (lanes) => {
    const num = (name: string) => f.number(name, lanes);
    const products = (first: boolean) => {
      const out: number[] = [];
      for (const j of neurons) out.push(get, local(`wi${j}`), ...lanes.splat(), set, num(`wv${j}`));
      for (let k = 0; k < lanes.count; k++) {
        out.push(get, local('xi'), ...lanes.load(k), set, num('xv'));
        for (const j of neurons) {
          const sum = num(`s${j}_${k}`);
          if (!first) out.push(get, sum);
          out.push(get, num(`wv${j}`), get, num('xv'), ...lanes.mul());
          if (!first) out.push(...lanes.add());
          out.push(set, sum);
        }
      }
      return out;
    };
    let group: number[] = [get, local('x'), get, local('e'), i32Add, set, local('xi')];
    for (const j of neurons) group.push(get, local(`w${j}`), set, local(`wi${j}`));
    group.push(...products(true), ...i32(1), set, local('i'));
    const next = [...addTo(local('xi'), [get, local('step')])];
    for (const j of neurons) next.push(...addTo(local(`wi${j}`), i32(8)));
    next.push(...products(false), ...addTo(local('i'), i32(1)));
    group = group.concat(until([get, local('i'), get, local('n'), i32GeS], next));
    for (const j of neurons) {
      for (let k = 0; k < lanes.count; k++) {
        group.push(get, local(`y${j}`), get, local('e'), i32Add, get, num(`s${j}_${k}`));
        group.push(...lanes.store(k));
      }
    }
    return group;
  });
}

/**
 * inputAdjoints(x, step, n, lanesBytes, g…, w…): for each group of lanes, the neurons' adjoints
 * in registers; each input's lanes loaded once, each neuron's g × w added in turn, stored.
 */
function inputAdjointsKernel(count: number): number[] {
  const neurons = neuronsOf(count);
  const f = new Locals(
    ['x', 'step', 'n', 'lanesBytes', ...numbered(['g'], count), ...numbered(['w'], count)],
    ['e', 'xi', 'i', ...numbered(['wi'], count)],
    [...sumsOf('gv', count), ...numbered(['wv'], count), 'a'],
  );
  const local = (name: string) => f.at(name);
  return groupLoop(f, 'e', [get, local('lanesBytes')], (lanes) => {
    const num = (name: string) => f.number(name, lanes);
    let group: number[] = [];
    for (const j of neurons) {
      for (let k = 0; k < lanes.count; k++) {
        group.push(get, local(`g${j}`), get, local('e'), i32Add, ...lanes.load(k));
        group.push(set, num(`gv${j}_${k}`));
      }
      group.push(get, local(`w${j}`), set, local(`wi${j}`));
    }
    group.push(get, local('x'), get, local('e'), i32Add, set, local('xi'), ...i32(0));
    group.push(set, local('i'));
    const input: number[] = [];
    for (const j of neurons) input.push(get, local(`wi${j}`), ...lanes.splat(), set, num(`wv${j}`));
    for (let k = 0; k < lanes.count; k++) {
      input.push(get, local('xi'), get, local('xi'), ...lanes.load(k), set, num('a'));
      for (const j of neurons) {
        input.push(get, num('a'), get, num(`gv${j}_${k}`), get, num(`wv${j}`), ...lanes.mul());
        input.push(...lanes.add(), set, num('a'));
      }
      input.push(get, num('a'), ...lanes.store(k));
    }
    input.push(...addTo(local('xi'), [get, local('step')]), ...addTo(local('i'), i32(1)));
    for (const j of neurons) input.push(...addTo(local(`wi${j}`), i32(8)));
    group = group.concat(until([get, local('i'), get, local('n'), i32GeS], input));
    return group;
  });
}

/**
 * weightGradients(xT, row, n, lanes, lanesBytes, gradient…, g…): for each group of weights (8,
 * then 2, then 1), their sums in registers; for each listed lane in order, its inputs loaded
 * once, each neuron's g × input added.
 */
function weightGradientsKernel(count: number): number[] {
  const neurons = neuronsOf(count);
  const f = new Locals(
    [
      'xT',
      'row',
      'n',
      'lanes',
      'lanesBytes',
      ...numbered(['gradient'], count),
      ...numbered(['g'], count),
    ],
    ['at', 'j', 'e', 'base'],
    [...sumsOf('s', count), ...numbered(['gv'], count), 'xv'],
  );
  const local = (name: string) => f.at(name);
  return groupLoop(f, 'at', [get, local('n'), ...i32(8), i32Mul], (lanes) => {
    const num = (name: string) => f.number(name, lanes);
    let group: number[] = [];
    for (const j of neurons) {
      for (let k = 0; k < lanes.count; k++) {
        group.push(get, local(`gradient${j}`), get, local('at'), i32Add, ...lanes.load(k));
        group.push(set, num(`s${j}_${k}`));
      }
    }
    const each: number[] = [get, local('lanes'), get, local('j'), i32Add, i32Load, 2, 0];
    each.push(set, local('e'));
    for (const j of neurons) {
      each.push(get, local(`g${j}`), get, local('e'), ...i32(8), i32Mul, i32Add, ...lanes.splat());
      each.push(set, num(`gv${j}`));
    }
    each.push(get, local('xT'), get, local('e'), get, local('row'), i32Mul, i32Add);
    each.push(get, local('at'), i32Add, set, local('base'));
    for (let k = 0; k < lanes.count; k++) {
      each.push(get, local('base'), ...lanes.load(k), set, num('xv'));
      for (const j of neurons) {
        const sum = num(`s${j}_${k}`);
        each.push(get, sum, get, num(`gv${j}`), get, num('xv'), ...lanes.mul(), ...lanes.add());
        each.push(set, sum);
      }
    }
    each.push(...addTo(local('j'), i32(4)));
    group.push(...i32(0), set, local('j'));
    group = group.concat(until([get, local('j'), get, local('lanesBytes'), i32GeS], each));
    for (const j of neurons) {
      for (let k = 0; k < lanes.count; k++) {
        group.push(get, local(`gradient${j}`), get, local('at'), i32Add, get, num(`s${j}_${k}`));
        group.push(...lanes.store(k));
      }
    }
    return group;
  });
}

/** intoLanes(from, count, n, to, stride): example by example, its numbers read in order, each written to its row. */
function intoLanesKernel(): number[] {
  const number = groups[2]!; // (one f64)
  const f = new Locals(['from', 'count', 'n', 'to', 'stride'], ['e', 'i', 'at'], []);
  const local = (name: string) => f.at(name);
  const each = [get, local('at'), get, local('from'), ...number.load(0), ...number.store(0)];
  each.push(...addTo(local('from'), i32(8)), ...addTo(local('at'), [get, local('stride')]));
  each.push(...addTo(local('i'), i32(1)));
  const example = [get, local('to'), get, local('e'), ...i32(8), i32Mul, i32Add, set, local('at')];
  example.push(...i32(0), set, local('i'));
  example.push(...until([get, local('i'), get, local('n'), i32GeS], each));
  example.push(...addTo(local('e'), i32(1)));
  return f.body([
    ...[...i32(0), set, local('e')],
    ...until([get, local('e'), get, local('count'), i32GeS], example),
  ]);
}

/** The module's bytes: the kernels, one neuron and two, over an imported memory `dendrite.memory`. */
function moduleBytes(): Uint8Array {
  const kernels: Kernel[] = [];
  for (const count of [1, 2]) {
    const suffix = count === 1 ? '' : '2';
    kernels.push(
      { name: `forward${suffix}`, params: 4 + 2 * count, body: forwardKernel(count) },
      { name: `inputAdjoints${suffix}`, params: 4 + 2 * count, body: inputAdjointsKernel(count) },
      {
        name: `weightGradients${suffix}`,
        params: 5 + 2 * count,
        body: weightGradientsKernel(count),
      },
    );
  }
  kernels.push({ name: 'intoLanes', params: 5, body: intoLanesKernel() });
  return moduleOf(kernels);
}

let compiled: object | null | undefined;

/**
 * A memory of `bytes` and the kernels over it, or `undefined` where WebAssembly or its SIMD is
 * unavailable (or forbidden, or the memory too large): then the JavaScript loops run.
 */
export function neuronKernels(
  bytes: number,
): { buffer: ArrayBuffer; kernels: NeuronKernels } | undefined {
  if (compiled === null) return undefined; // (it failed once: it fails here)
  try {
    compiled ??= compileModule(moduleBytes());
    const { buffer, exports } = instantiate(compiled, bytes);
    return { buffer, kernels: exports as NeuronKernels };
  } catch {
    compiled ??= null;
    return undefined;
  }
}
