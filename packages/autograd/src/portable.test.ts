import { describe, expect, it } from 'vitest';
import { add, compile, defineOp, evaluate, mul, runPortable, tanh, variable } from './index.js';

describe('portable tapes', () => {
  it('keep their parameters a view of their slots, and fused sums of products', () => {
    const x = [variable(0, 'x1'), variable(0, 'x2'), variable(0, 'x3')];
    const w = [variable(0.5), variable(-1), variable(2)];
    const b = variable(0.25);
    const neuron = tanh(add(add(add(mul(w[0]!, x[0]!), mul(w[1]!, x[1]!)), mul(w[2]!, x[2]!)), b));
    const compiled = compile([neuron], { inputs: x, parameters: [...w, b], mode: 'tape' });
    const run = runPortable(structuredClone(compiled.portable!()));
    expect(run([1, 2, 3])[0]).toBe(Math.tanh(0.5 - 2 + 6 + 0.25));
    run.parameters[3] = -4.25; // b
    expect(run([1, 2, 3])[0]).toBe(Math.tanh(0.5 - 2 + 6 - 4.25));
    expect(compiled([1, 2, 3])[0]).toBe(Math.tanh(0.5 - 2 + 6 + 0.25)); // a copy, not shared
    // Many rows at once, in another thread too: the numbers of one at a time.
    const rows = [1, 2, 3, -1, 0.5, 4, 0, 0, 7];
    const batched = run.batched(2);
    expect([...batched(rows.slice(0, 6), 2)]).toEqual([
      run(rows.slice(0, 3))[0],
      run(rows.slice(3, 6))[0],
    ]);
    expect([...batched(rows.slice(6), 1)]).toEqual([run(rows.slice(6))[0]]);
  });

  it('refuse ops defined outside the engine, generated code, and what is not a tape', () => {
    const cube = defineOp({
      name: 'cube',
      arity: 1,
      evaluate: (v) => v ** 3,
      partials: ([v]) => [mul(3, mul(v, v))],
    });
    const x = variable(2);
    expect(() => compile([cube(x)], { inputs: [x], mode: 'tape' }).portable!()).toThrow(
      'a portable tape runs built-in ops only; op cube is not one',
    );
    expect(compile([tanh(x)], { inputs: [x], mode: 'code' }).portable).toBeUndefined();
    expect(() => runPortable({} as never)).toThrow(
      'runPortable needs what Compiled.portable() gives',
    );
    const run = runPortable(compile([tanh(x)], { inputs: [x], mode: 'tape' }).portable!());
    expect(() => run([1, 2])).toThrow('this tape takes 1 inputs, got an array of 2');
  });

  it('come from graphs compiled as they are, when asked not to simplify', () => {
    const x = variable(3);
    const graph = add(mul(x, 1), 0);
    expect(compile([graph], { inputs: [x], mode: 'code' }).source).not.toContain('* 1');
    const raw = compile([graph], { inputs: [x], mode: 'code', simplify: false });
    expect(raw.source).toContain('* 1');
    expect(raw([5])[0]).toBe(evaluate(graph) + 2);
  });
});
