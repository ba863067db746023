import { Network, saveModel } from '@dendrite/nn';
import { describe, expect, it } from 'vitest';
import { loadServedModel } from './loading.js';
import { serve } from './models.js';

describe('a served model', () => {
  // 3-40-24-2: 1,106 parameters, large enough to run a batch of rows at once.
  const network = new Network([3, 40, 24, 2], { activation: 'tanh', seed: 4 });
  const preprocessing = {
    normalization: { mean: [1, 2, 3], scale: [2, 0.5, 1] },
    targets: { mean: [10, -1], scale: [3, 0.25] },
  };
  const file = saveModel(network, preprocessing);
  const rows = Array.from({ length: 150 }, (_, i) => [Math.sin(i), i / 10, Math.cos(3 * i)]);

  it('predicts a batch of rows as it predicts each row alone, to the bit', async () => {
    const here = serve('here', { network, preprocessing });
    const oneByOne = rows.map((row) => here.predict([row])[0]!);
    expect(here.predict(rows)).toEqual(oneByOne);
    // Compiled in a worker thread, run here on its portable tape: the same numbers.
    const there = await loadServedModel('there', '1', file, { workerAbove: 0 });
    expect(there.predict(rows)).toEqual(oneByOne);
    expect(rows.map((row) => there.predict([row])[0]!)).toEqual(oneByOne);
  });
});
