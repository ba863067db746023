import { describe, expect, it } from 'vitest';
import { dataMemory, networkMemory, parameterCount } from './memory.js';
import { Network } from './network.js';

describe('memory estimates', () => {
  it('count the parameters of any shape', () => {
    for (const shape of [
      [2, 2, 1],
      [7, 8, 8, 8, 1],
      [784, 32, 10],
      [3, 1],
    ]) {
      expect(parameterCount(shape)).toBe(new Network(shape).parameters().length);
    }
  });

  it('grow with what is done: loading, predicting, training; and with the data', () => {
    const shape = [2, 1000, 1000, 1];
    expect(networkMemory(shape, 'load')).toBeLessThan(networkMemory(shape, 'predict'));
    expect(networkMemory(shape, 'predict')).toBeLessThan(networkMemory(shape, 'train'));
    // Measured at 2-1000-1000-1, above Node's own 51 MB (peak RSS): loading its model file took
    // 230 MB, predicting one row 387 MB, training an epoch and saving the model 553 MB.
    expect(networkMemory(shape, 'load')).toBeGreaterThan(230 * 2 ** 20);
    expect(networkMemory(shape, 'predict')).toBeGreaterThan(387 * 2 ** 20);
    expect(networkMemory(shape, 'train')).toBeGreaterThan(553 * 2 ** 20);
    expect(networkMemory([2, 1e9, 1], 'load')).toBeGreaterThan(1e11);
    expect(dataMemory(1e9, 2)).toBeGreaterThan(1e11);
    expect(dataMemory(500, 7)).toBeLessThan(2 ** 20);
  });
});
