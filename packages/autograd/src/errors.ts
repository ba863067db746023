/** The error the engine throws for misuse it can name: wrong arity, a non-Value input, a cycle, a non-finite gradient. */
export class AutogradError extends Error {
  override readonly name = 'AutogradError';
}

/** @internal Names what was passed instead of a number or a Value, for error messages. */
export function describe(thing: unknown): string {
  if (thing === null || thing === undefined) return String(thing);
  if (typeof thing === 'string') return `the string ${JSON.stringify(thing)}`;
  if (typeof thing === 'function') return 'a function';
  if (Array.isArray(thing)) return `an array of ${thing.length}`;
  if (isNode(thing)) return 'a Value';
  if (typeof thing === 'object') return `an object (${Object.prototype.toString.call(thing)})`;
  if (typeof thing === 'symbol') return `the symbol ${thing.description ?? ''}`;
  if (typeof thing === 'number' || typeof thing === 'boolean' || typeof thing === 'bigint') {
    return `${typeof thing} ${thing}`;
  }
  return typeof thing;
}

// A graph node as the checks see it (a Value, without importing the class, so this file stays
// at the bottom of the engine).
function isNode(thing: unknown): boolean {
  if (typeof thing !== 'object' || thing === null) return false;
  const node = thing as { value?: unknown; inputs?: unknown };
  return typeof node.value === 'number' && Array.isArray(node.inputs);
}

/** @internal `thing` if it is a Value; else an `AutogradError` saying that `where` needs one. */
export function expectValue<T>(thing: T, where: string): T {
  if (isNode(thing)) return thing;
  throw new AutogradError(`${where} needs a Value, got ${describe(thing)}`);
}

/** @internal `thing` if it is an array of Values (or, with `single`, one Value); else an `AutogradError`. */
export function expectValues<T>(thing: T, where: string, { single = true } = {}): T {
  if (single && isNode(thing)) return thing;
  if (Array.isArray(thing)) {
    const bad = thing.findIndex((item) => !isNode(item));
    if (bad < 0) return thing;
    throw new AutogradError(`${where}: item ${bad + 1} is ${describe(thing[bad])}, not a Value`);
  }
  const wanted = single ? 'a Value or an array of Values' : 'an array of Values';
  throw new AutogradError(`${where} needs ${wanted}, got ${describe(thing)}`);
}

/** @internal `options` if it is an object or undefined; else an `AutogradError`. */
export function expectOptions<T>(options: T, where: string): T {
  if (options === undefined || (typeof options === 'object' && options !== null)) return options;
  throw new AutogradError(`${where}: options must be an object, got ${describe(options)}`);
}
