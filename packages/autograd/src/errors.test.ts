import { describe, expect, it, vi } from 'vitest';
import * as autograd from './index.js';
import { AutogradError, variable } from './index.js';

const x = variable(1, 'x');

/**
 * Misuse from plain JavaScript, where types do not stop it: every public function says what it
 * got in an `AutogradError`, never a raw TypeError or a silent answer.
 */
// prettier-ignore
const misuse: [string, () => unknown, RegExp][] = [
  ['formula(5)',                      () => autograd.formula(5 as never),                  /formula needs a Value, got number 5/],
  ['latex("x")',                      () => autograd.latex('x' as never),                  /latex needs a Value, got the string "x"/],
  ['formula(x, 3)',                   () => autograd.formula(x, 3 as never),               /formula: options must be an object, got number 3/],
  ['toDot(null)',                     () => autograd.toDot(null as never),                 /toDot needs a Value or an array of Values, got null/],
  ['toDot(x, { digits: 0 })',         () => autograd.toDot(x, { digits: 0 }),              /digits must be a whole number from 1 to 100, got 0/],
  ['grad(5, x)',                      () => autograd.grad(5 as never, x),                  /grad \(output\) needs a Value, got number 5/],
  ['grad(x, 5)',                      () => autograd.grad(x, 5 as never),                  /grad \(with respect to\) needs a Value or an array of Values, got number 5/],
  ['grad(x, [x, 2])',                 () => autograd.grad(x, [x, 2] as never),             /grad \(with respect to\): item 2 is number 2, not a Value/],
  ['grad(x, x, true)',                () => autograd.grad(x, x, true as never),            /grad: options must be an object, got boolean true/],
  ['simplify(undefined)',             () => autograd.simplify(undefined as never),         /simplify needs a Value or an array of Values, got undefined/],
  ['evaluate({})',                    () => autograd.evaluate({} as never),                /evaluate needs a Value or an array of Values, got an object/],
  ['zeroGrad("w")',                   () => autograd.zeroGrad('w' as never),               /zeroGrad needs a Value or an array of Values, got the string "w"/],
  ['topologicalOrder(x)',             () => autograd.topologicalOrder(x as never),         /topologicalOrder needs an array of Values, got a Value/],
  ['compile(x, …)',                   () => autograd.compile(x as never, { inputs: [] }),  /compile \(outputs\) needs an array of Values, got a Value/],
  ['compile([x])',                    () => autograd.compile([x], undefined as never),     /compile needs options with its inputs/],
  ['compile([x], { inputs: x })',     () => autograd.compile([x], { inputs: x as never }), /compile \(inputs\) needs an array of Values, got a Value/],
  ['compile(…, { mode: "fast" })',    () => autograd.compile([x], { inputs: [x], mode: 'fast' as never }), /mode is 'auto', 'code' or 'tape', got the string "fast"/],
  ['compile(…, inputs [x, x])',       () => autograd.compile([x], { inputs: [x, x] }),       /compile: leaf x is twice among the inputs/],
  ['compile(…, x input and parameter)', () => autograd.compile([x], { inputs: [x], parameters: [x] }), /compile: leaf x is both an input and a parameter/],
  ['compiled(5)',                     () => autograd.compile([x], { inputs: [x] })(5 as never), /takes an array of numbers, got number 5/],
  ['constant("2")',                   () => autograd.constant('2' as never),               /constant needs a number, got the string "2"/],
  ['variable(1, 2)',                  () => autograd.variable(1, 2 as never),              /variable: a label is a string, got number 2/],
  ['isConstant(3)',                   () => autograd.isConstant(3 as never),               /isConstant needs a Value, got number 3/],
  ['checkGradient(5, [1])',           () => autograd.checkGradient(5 as never, [1]),       /checkGradient needs a function of Values, got number 5/],
  ['checkGradient(f, 1)',             () => autograd.checkGradient(([a]) => a!, 1 as never), /the point as an array of finite numbers, got number 1/],
  ['checkGradient(() => 1, [1])',     () => autograd.checkGradient(() => 1 as never, [1]), /what the function returns needs a Value, got number 1/],
  ['infix(5, 1)',                     () => autograd.infix(5 as never, 1),                 /infix: the symbol must be a non-empty string, got number 5/],
  ['call(null)',                      () => autograd.call(null as never),                  /call: the name must be a non-empty string, got null/],
  ['formula(x, { maxLength: 0 })',    () => autograd.formula(x, { maxLength: 0 }),         /maxLength must be a number ≥ 1, got number 0/],
  ['defineOp(null)',                  () => autograd.defineOp(null as never),               /defineOp needs an op's definition object, got null/],
  ['mul(x)',                          () => (autograd.mul as unknown as (a: unknown) => unknown)(x),  /mul takes 2 inputs, got 1/],
  ['dot(x, 2, x)',                    () => autograd.dot(x, 2, x),                         /dot takes its inputs in pairs \(a1, b1, a2, b2, …\), got 3/],
  ['dot()',                           () => autograd.dot(),                                /dot takes its inputs in pairs \(a1, b1, a2, b2, …\), got 0/],
  ['dot(x, "2")',                     () => autograd.dot(x, '2' as never),                 /dot \(input 2\) needs a Value or a number, got the string "2"/],
  ['defineOp({ arity: 200,000 })',    () => autograd.defineOp({ name: 'wide', arity: 200_000, evaluate: () => 0, partials: () => [] }), /op wide: arity 200000 is over 20,000, the most inputs a node takes .*compose it/],
  ['dot(20,002 inputs)',              () => autograd.dot(...Array<number>(20_002).fill(1)), /dot takes at most 20,000 inputs, got 20002 .*dotProduct/],
  ["defineOp({ arity: 'triples' })",  () => autograd.defineOp({ name: 'f', arity: 'triples' as never, evaluate: () => 0, partials: () => [] }), /op f: arity must be a whole number of at least 1 or 'pairs', got the string "triples"/],
];

describe('misuse from plain JavaScript', () => {
  it.each(misuse)('%s says what it got', (_, call, message) => {
    expect(call).toThrow(AutogradError);
    expect(call).toThrow(message);
  });
});

describe('the most inputs a node takes', () => {
  it('is 20,000: an op of that arity runs every way', () => {
    const n = 20_000;
    const total = autograd.defineOp({
      name: 'total',
      arity: n,
      evaluate: (...xs) => xs.reduce((sum, x) => sum + x, 0),
      partials: (xs) => xs.map(() => autograd.constant(1)),
    });
    const xs = Array.from({ length: n }, (_, i) => variable(i));
    const sum = total(...xs);
    expect(sum.value).toBe((n * (n - 1)) / 2);
    sum.backward();
    expect(xs.every((x) => x.grad === 1)).toBe(true);
    expect(autograd.evaluate(autograd.grad(sum, [xs[0]!, xs[n - 1]!]))).toEqual([1, 1]);
    const compiled = autograd.compile([sum], { inputs: xs });
    expect(compiled(xs.map((x) => -x.value))).toEqual(Float64Array.of(-sum.value));
  });
});

describe('a Value from another copy of the engine, or a malformed one', () => {
  // A bundler, or an ESM and a CommonJS install side by side, can load the package twice: each
  // copy keeps state of its own (traversal stamps, its ops), so a graph works only with its maker.
  it('is named at every entry point of the other copy, with the way out', async () => {
    vi.resetModules();
    const other = (await import('./index.js')) as typeof autograd;
    expect(other.Value).not.toBe(autograd.Value);
    const y = other.mul(other.variable(2, 'x'), 3);
    const calls: [string, () => unknown][] = [
      ['grad(y, x)', () => autograd.grad(y, y.inputs[0]!)],
      ['grad(y, [x])', () => autograd.grad(y, [y.inputs[0]!])],
      ['mul(y, 2)', () => autograd.mul(y, 2)],
      ['dot(y, 2)', () => autograd.dot(y, 2)],
      ['simplify(y)', () => autograd.simplify(y)],
      ['formula(y)', () => autograd.formula(y)],
      ['toDot(y)', () => autograd.toDot(y)],
      ['evaluate(y)', () => autograd.evaluate(y)],
      ['zeroGrad(y)', () => autograd.zeroGrad(y)],
      ['compile([y])', () => autograd.compile([y], { inputs: [] })],
      ['compileGradients(y)', () => autograd.compileGradients(y, { inputs: [], parameters: [] })],
      ['checkGradient', () => autograd.checkGradient(() => y, [1])],
    ];
    for (const [name, call] of calls) {
      expect(call, name).toThrow(AutogradError);
      expect(call, name).toThrow(/a Value made by another copy of @dendrite\/autograd .*npm ls/);
    }
    // Within its own copy, it works.
    expect(other.formula(other.grad(y, y.inputs[0]!))).toBe('3');
  });

  it('is named when an object only looks like a Value, or a node has an input that is none', () => {
    const fake = { value: 1, grad: 0, inputs: [], op: undefined };
    expect(() => autograd.grad(fake as never, x)).toThrow(
      /grad \(output\) needs a Value, got an object shaped like a Value that @dendrite\/autograd did not make/,
    );
    const broken = autograd.mul(x, 2);
    (broken.inputs as unknown[])[1] = 2;
    for (const call of [() => autograd.grad(broken, x), () => broken.backward()]) {
      expect(call).toThrow(AutogradError);
      expect(call).toThrow(/node #\d+: input 2 is number 2, not a Value/);
    }
  });
});
