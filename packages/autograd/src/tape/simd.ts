// A neuron's loops over lanes as WebAssembly with 128-bit SIMD, written here byte by byte (no
// toolchain): two lanes per instruction, with a separate multiply and add (never a fused one), so
// every lane rounds as the JavaScript loops of neuron-lanes.ts round, to the bit.

/**
 * What this file uses of WebAssembly, a global of every JavaScript engine dendrite runs on (Node's
 * type definitions leave it to the DOM's).
 */
interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const wasm = () => (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The kernels, over one memory of doubles; every address and length is in bytes. */
export interface NeuronKernels {
  /** y[e] = w[0]·x₀[e] + w[1]·x₁[e] + … for the n inputs, input i's lanes at x + i·step. */
  forward(y: number, x: number, step: number, w: number, n: number, lanesBytes: number): void;
  /** adj(xᵢ)[e] += g[e]·w[i] for the n inputs, input i's adjoints at x + i·step. */
  inputAdjoints(x: number, step: number, w: number, n: number, g: number, lanesBytes: number): void;
  /**
   * gradient[i] += g[e]·x[e][i] over the listed lanes in order, for the n weights: lane e's
   * inputs a row of `row` bytes at xT + e·row, the lanes' numbers (i32) at `lanes`.
   */
  weightGradients(
    gradient: number,
    xT: number,
    row: number,
    n: number,
    g: number,
    lanes: number,
    lanesBytes: number,
  ): void;
}

// Opcodes (WebAssembly core and SIMD binary format).
const [I32, F64, V128] = [0x7f, 0x7c, 0x7b];
const [block, loop, end, br, brIf] = [0x02, 0x03, 0x0b, 0x0c, 0x0d];
const [get, set] = [0x20, 0x21];
const [i32Const, i32Add, i32Mul, i32GeS, i32GtS, i32Load] = [0x41, 0x6a, 0x6c, 0x4e, 0x4a, 0x28];
const [f64Load, f64Store, f64Add, f64Mul] = [0x2b, 0x39, 0xa0, 0xa2];
const simd = (op: number) => [0xfd, ...leb(op)];
const v128Load = simd(0x00);
const loadSplat = simd(0x0a);
const v128Store = simd(0x0b);
const [f64x2Add, f64x2Mul] = [simd(0xf0), simd(0xf2)];

function leb(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (n !== 0);
  return bytes;
}

/** A signed LEB128 (for i32.const), for small non-negative numbers. */
const sleb = (n: number): number[] => (n < 64 ? [n] : [(n & 0x7f) | 0x80, ...sleb(n >> 7)]);
const memarg = (offset: number) => [3, ...leb(offset)]; // (alignment 8 bytes, a hint only)
const vector = (bytes: number[]) => [...leb(bytes.length), ...bytes];
const i32 = (n: number) => [i32Const, ...sleb(n)];

/** `target += amount` on an i32 local. */
const addTo = (local: number, amount: number[]) => [get, local, ...amount, i32Add, set, local];

/** A loop run while `condition` (i32 code) is false, `body` each time round. */
const until = (done: number[], body: number[]) => [
  block,
  0x40,
  loop,
  0x40,
  ...done,
  brIf,
  1,
  ...body,
  br,
  0,
  end,
  end,
];

/** Loads a lane group: `vectors` v128s, or one f64 when 0. */
function lanesLoad(vectors: number, k: number): number[] {
  return vectors === 0 ? [f64Load, ...memarg(0)] : [...v128Load, ...memarg(16 * k)];
}
const mul = (vectors: number) => (vectors === 0 ? [f64Mul] : f64x2Mul);
const add = (vectors: number) => (vectors === 0 ? [f64Add] : f64x2Add);
const splat = (vectors: number) =>
  vectors === 0 ? [f64Load, ...memarg(0)] : [...loadSplat, ...memarg(0)];
const store = (vectors: number, k: number) =>
  vectors === 0 ? [f64Store, ...memarg(0)] : [...v128Store, ...memarg(16 * k)];
/** Bytes of lanes in a group of `vectors` (8 lanes as four, 2 as one, 1 as a scalar). */
const groupBytes = (vectors: number) => (vectors === 0 ? 8 : 16 * vectors);

/**
 * forward(y, x, step, w, n, lanesBytes); locals: e, xi, wi, i, then the sums (v128 or f64) and
 * the weight. Groups of 8, then 2, then 1 lane.
 */
function forwardBody(): number[] {
  const [y, x, step, w, n, lanesBytes, e, xi, wi, i] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [...i32(0), set, e];
  for (const vectors of [4, 1, 0]) {
    const sums = (k: number) => (vectors === 0 ? 15 : 10 + k); // (f64 sum, else v128 sums)
    const weight = vectors === 0 ? 16 : 14;
    const count = Math.max(vectors, 1);
    const group: number[] = [get, x, get, e, i32Add, set, xi, get, w, set, wi];
    group.push(get, wi, ...splat(vectors), set, weight);
    for (let k = 0; k < count; k++) {
      group.push(get, weight, get, xi, ...lanesLoad(vectors, k), ...mul(vectors), set, sums(k));
    }
    const input: number[] = [...addTo(xi, [get, step]), ...addTo(wi, i32(8))];
    input.push(get, wi, ...splat(vectors), set, weight);
    for (let k = 0; k < count; k++) {
      input.push(get, sums(k), get, weight, get, xi, ...lanesLoad(vectors, k), ...mul(vectors));
      input.push(...add(vectors), set, sums(k));
    }
    input.push(...addTo(i, i32(1)));
    group.push(...i32(1), set, i, ...until([get, i, get, n, i32GeS], input));
    for (let k = 0; k < count; k++) {
      group.push(get, y, get, e, i32Add, get, sums(k), ...store(vectors, k));
    }
    group.push(...addTo(e, i32(groupBytes(vectors))));
    code.push(
      ...until([get, e, ...i32(groupBytes(vectors)), i32Add, get, lanesBytes, i32GtS], group),
    );
  }
  return code;
}

/** inputAdjoints(x, step, w, n, g, lanesBytes); locals: e, xi, wi, i, g's (v128 or f64), weight. */
function inputAdjointsBody(): number[] {
  const [x, step, w, n, g, lanesBytes, e, xi, wi, i] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [...i32(0), set, e];
  for (const vectors of [4, 1, 0]) {
    const gs = (k: number) => (vectors === 0 ? 15 : 10 + k);
    const weight = vectors === 0 ? 16 : 14;
    const count = Math.max(vectors, 1);
    const group: number[] = [];
    for (let k = 0; k < count; k++) {
      group.push(get, g, get, e, i32Add, ...lanesLoad(vectors, k), set, gs(k));
    }
    group.push(get, x, get, e, i32Add, set, xi, get, w, set, wi, ...i32(0), set, i);
    const input: number[] = [get, wi, ...splat(vectors), set, weight];
    for (let k = 0; k < count; k++) {
      input.push(get, xi, get, xi, ...lanesLoad(vectors, k), get, gs(k), get, weight);
      input.push(...mul(vectors), ...add(vectors), ...store(vectors, k));
    }
    input.push(...addTo(xi, [get, step]), ...addTo(wi, i32(8)), ...addTo(i, i32(1)));
    group.push(...until([get, i, get, n, i32GeS], input));
    group.push(...addTo(e, i32(groupBytes(vectors))));
    code.push(
      ...until([get, e, ...i32(groupBytes(vectors)), i32Add, get, lanesBytes, i32GtS], group),
    );
  }
  return code;
}

/**
 * weightGradients(gradient, xT, row, n, g, lanes, lanesBytes); locals: at (the weights' byte
 * offset), j, base, the sums, the lane's g. Groups of 8 weights, then 2, then 1.
 */
function weightGradientsBody(): number[] {
  const [gradient, xT, row, n, g, lanes, lanesBytes, at, j, base] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [...i32(0), set, at];
  const nBytes = [get, n, ...i32(8), i32Mul];
  for (const vectors of [4, 1, 0]) {
    const sums = (k: number) => (vectors === 0 ? 15 : 10 + k);
    const lane = vectors === 0 ? 16 : 14;
    const count = Math.max(vectors, 1);
    const group: number[] = [];
    for (let k = 0; k < count; k++) {
      group.push(get, gradient, get, at, i32Add, ...lanesLoad(vectors, k), set, sums(k));
    }
    // For each listed lane e: base = xT + e·row + at, and its g splat.
    const each: number[] = [get, lanes, get, j, i32Add, i32Load, 2, 0];
    each.push(
      set,
      base,
      get,
      g,
      get,
      base,
      ...i32(8),
      i32Mul,
      i32Add,
      ...splat(vectors),
      set,
      lane,
    );
    each.push(get, xT, get, base, get, row, i32Mul, i32Add, get, at, i32Add, set, base);
    for (let k = 0; k < count; k++) {
      each.push(get, sums(k), get, lane, get, base, ...lanesLoad(vectors, k), ...mul(vectors));
      each.push(...add(vectors), set, sums(k));
    }
    each.push(...addTo(j, i32(4)));
    group.push(...i32(0), set, j, ...until([get, j, get, lanesBytes, i32GeS], each));
    for (let k = 0; k < count; k++) {
      group.push(get, gradient, get, at, i32Add, get, sums(k), ...store(vectors, k));
    }
    group.push(...addTo(at, i32(groupBytes(vectors))));
    code.push(...until([get, at, ...i32(groupBytes(vectors)), i32Add, ...nBytes, i32GtS], group));
  }
  return code;
}

/** A function body: 4 i32 locals, 4 v128, then 2 f64 (locals 10–13, 14–15… see the bodies). */
function body(params: number, code: number[]): number[] {
  // Locals after the params: i32s up to index 9, v128s 10–14, f64s 15–16.
  const locals = [
    [10 - params, I32],
    [5, V128],
    [2, F64],
  ].flatMap(([count, type]) => [...leb(count!), type!]);
  return vector([...leb(3), ...locals, ...code, end]);
}

function section(id: number, items: number[][]): number[] {
  return [id, ...vector([...leb(items.length), ...items.flat()])];
}

/** The module's bytes: the three kernels over an imported memory `dendrite.memory`. */
function moduleBytes(): Uint8Array {
  const name = (text: string) => vector([...new TextEncoder().encode(text)]);
  const type = (params: number) => [0x60, ...leb(params), ...Array<number>(params).fill(I32), 0];
  const kernels: [string, number, number[]][] = [
    ['forward', 6, forwardBody()],
    ['inputAdjoints', 6, inputAdjointsBody()],
    ['weightGradients', 7, weightGradientsBody()],
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [type(6), type(7)]),
    ...section(2, [[...name('dendrite'), ...name('memory'), 0x02, 0x00, 0x00]]),
    ...section(
      3,
      kernels.map(([, params]) => [params === 6 ? 0 : 1]),
    ),
    ...section(
      7,
      kernels.map(([kernel], index) => [...name(kernel), 0x00, index]),
    ),
    ...section(
      10,
      kernels.map(([, params, code]) => body(params, code)),
    ),
  ]);
}

let compiled: object | null | undefined;

/**
 * A memory of `bytes` and the kernels over it, or `undefined` where WebAssembly or its SIMD is
 * unavailable (or forbidden, or the memory too large): then the JavaScript loops run.
 */
export function neuronKernels(
  bytes: number,
): { buffer: ArrayBuffer; kernels: NeuronKernels } | undefined {
  try {
    const { Module, Memory, Instance } = wasm();
    compiled ??= new Module(moduleBytes());
    const memory = new Memory({ initial: Math.ceil(bytes / 65_536) });
    const instance = new Instance(compiled, { dendrite: { memory } });
    return { buffer: memory.buffer, kernels: instance.exports as unknown as NeuronKernels };
  } catch {
    compiled ??= null;
    return undefined;
  }
}
