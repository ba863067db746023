// Just enough of WebAssembly's binary format to write a few loops over doubles by hand: opcodes,
// numbers, and a function's locals by name (simd.ts writes the kernels with these).

export const [I32, F64, V128] = [0x7f, 0x7c, 0x7b];
const [block, loop, end, br, brIf] = [0x02, 0x03, 0x0b, 0x0c, 0x0d];
export const [get, set] = [0x20, 0x21];
export const [i32Add, i32Mul, i32GeS, i32GtS, i32Load] = [0x6a, 0x6c, 0x4e, 0x4a, 0x28];
const [f64Load, f64Store, f64Add, f64Mul] = [0x2b, 0x39, 0xa0, 0xa2];
const simd = (op: number) => [0xfd, ...leb(op)];

/** An unsigned LEB128 number. */
export function leb(n: number): number[] {
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
// (Long byte lists are joined with `concat`, not spread: a kernel is thousands of bytes, and
// spreading them is most of the time it takes to write a module, which runs once, unoptimised.)

/** Bytes with their length first. */
export const vector = (bytes: number[]) => leb(bytes.length).concat(bytes);
/** An i32 constant. */
export const i32 = (n: number) => [0x41, ...sleb(n)];
/** `local += amount` on an i32 local. */
export const addTo = (local: number, amount: number[]) => [
  get,
  local,
  ...amount,
  i32Add,
  set,
  local,
];

/** A loop run until `done` (i32 code) is true, `body` each time round. */
export const until = (done: number[], body: number[]) =>
  [block, 0x40, loop, 0x40].concat(done, [brIf, 1], body, [br, 0, end, end]);

/**
 * The numbers of one group of lanes: `vectors` v128s of two lanes each, or (0) one f64. Its
 * loads and stores take the k-th v128 at byte 16k of an address.
 */
export class Lanes {
  /** How many numbers a group holds: 4 v128s, 1, or one f64 counted as 1. */
  readonly count: number;
  /** Its size in bytes. */
  readonly bytes: number;
  private readonly loads: number[][];
  private readonly stores: number[][];
  private readonly splatCode: number[];
  private readonly mulCode: number[];
  private readonly addCode: number[];

  constructor(readonly vectors: number) {
    // (each instruction's bytes made once: a kernel uses them thousands of times)
    const scalar = vectors === 0;
    this.count = Math.max(vectors, 1);
    this.bytes = scalar ? 8 : 16 * vectors;
    const at = (k: number) => memarg(scalar ? 0 : 16 * k);
    this.loads = [0, 1, 2, 3].map((k) => (scalar ? [f64Load] : simd(0x00)).concat(at(k)));
    this.stores = [0, 1, 2, 3].map((k) => (scalar ? [f64Store] : simd(0x0b)).concat(at(k)));
    this.splatCode = (scalar ? [f64Load] : simd(0x0a)).concat(memarg(0));
    this.mulCode = scalar ? [f64Mul] : simd(0xf2);
    this.addCode = scalar ? [f64Add] : simd(0xf0);
  }
  /** Loads the k-th number of a group (v128 k at byte 16k of an address). */
  load(k: number): number[] {
    return this.loads[k]!;
  }
  /** Stores the k-th number of a group. */
  store(k: number): number[] {
    return this.stores[k]!;
  }
  /** One double, loaded into every lane. */
  splat(): number[] {
    return this.splatCode;
  }
  mul(): number[] {
    return this.mulCode;
  }
  add(): number[] {
    return this.addCode;
  }
}

/**
 * A function's locals by name: its i32 parameters, then i32 locals, then numbers, each both a
 * v128 and an f64 (so that one body serves both kinds of lane group).
 */
export class Locals {
  private readonly i32s: readonly string[];

  constructor(
    readonly params: readonly string[],
    i32Locals: readonly string[],
    private readonly numbers: readonly string[],
  ) {
    this.i32s = [...params, ...i32Locals];
  }

  /** An i32 parameter or local. */
  at(name: string): number {
    return this.indexIn(this.i32s, name);
  }

  /** A number local: its v128 in a group of vectors, its f64 in a scalar group. */
  number(name: string, lanes: Lanes): number {
    const index = this.i32s.length + this.indexIn(this.numbers, name);
    return lanes.vectors === 0 ? index + this.numbers.length : index;
  }

  /** The function's body: its locals' declarations, then `code`. */
  body(code: number[]): number[] {
    const groups = [
      [this.i32s.length - this.params.length, I32],
      [this.numbers.length, V128],
      [this.numbers.length, F64],
    ];
    const declared = groups.flatMap(([count, type]) => [...leb(count!), type!]);
    return vector(leb(groups.length).concat(declared, code, [end]));
  }

  private indexIn(names: readonly string[], name: string): number {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`no local ${name}`);
    return index;
  }
}

/** A function of i32 parameters and no result, and its body (see `Locals.body`). */
export interface Kernel {
  name: string;
  params: number;
  body: number[];
}

function section(id: number, items: number[][]): number[] {
  return [id].concat(vector(leb(items.length).concat(...items)));
}

/** A module's bytes: these functions, exported by name, over an imported memory `dendrite.memory`. */
export function moduleOf(kernels: readonly Kernel[]): Uint8Array {
  const name = (text: string) => vector([...new TextEncoder().encode(text)]);
  const arities = [...new Set(kernels.map(({ params }) => params))];
  const type = (params: number) => [0x60, ...leb(params), ...Array<number>(params).fill(I32), 0];
  return Uint8Array.from(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00].concat(
      section(1, arities.map(type)),
      section(2, [[...name('dendrite'), ...name('memory'), 0x02, 0x00, 0x00]]),
      section(
        3,
        kernels.map(({ params }) => leb(arities.indexOf(params))),
      ),
      section(
        7,
        kernels.map((kernel, index) => [...name(kernel.name), 0x00, ...leb(index)]),
      ),
      section(
        10,
        kernels.map(({ body }) => body),
      ),
    ),
  );
}

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

/** Compiles a module's bytes (throws where WebAssembly, or an instruction it uses, is missing). */
export function compileModule(bytes: Uint8Array): object {
  return new (wasm().Module)(bytes);
}

/** A module instantiated over a new memory of at least `bytes`: the memory's buffer and its exports. */
export function instantiate(
  module: object,
  bytes: number,
): { buffer: ArrayBuffer; exports: object } {
  const { Memory, Instance } = wasm();
  const memory = new Memory({ initial: Math.ceil(bytes / 65_536) });
  const { exports } = new Instance(module, { dendrite: { memory } });
  return { buffer: memory.buffer, exports };
}
