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
  if (typeof thing === 'object' && madeByDendrite in thing) {
    return (
      'a Value made by another copy of @dendrite/autograd (two copies are loaded, such as two ' +
      'versions, or an ESM and a CommonJS build; a graph works only with the copy that made it: ' +
      '`npm ls @dendrite/autograd` lists them)'
    );
  }
  if (looksLikeNode(thing)) {
    return (
      'an object shaped like a Value that @dendrite/autograd did not make (build graphs with ' +
      'constant, variable and the ops; from an older copy of the package, load one copy only)'
    );
  }
  if (typeof thing === 'object') return `an object (${Object.prototype.toString.call(thing)})`;
  if (typeof thing === 'symbol') return `the symbol ${thing.description ?? ''}`;
  if (typeof thing === 'number' || typeof thing === 'boolean' || typeof thing === 'bigint') {
    return `${typeof thing} ${thing}`;
  }
  return typeof thing;
}

/**
 * @internal Marks a Value made by this copy of the engine (each copy has a symbol of its own), so
 * that the checks know a Value without importing the class: this file stays at the bottom.
 */
export const madeHere: unique symbol = Symbol('a Value of this copy of @dendrite/autograd');

/** @internal Marks a Value made by any copy of the engine (every copy has this same symbol). */
export const madeByDendrite: unique symbol = Symbol.for('@dendrite/autograd Value');

/** @internal True for a Value made by this copy of the engine. */
export function isNode(thing: unknown): boolean {
  return (thing as { [madeHere]?: unknown } | null | undefined)?.[madeHere] === true;
}

function looksLikeNode(thing: unknown): boolean {
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
