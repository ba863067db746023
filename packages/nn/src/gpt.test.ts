import { compileGradients } from '@dendrite/autograd';
import { microgptReference } from '@dendrite/fixtures';
import { describe, expect, it } from 'vitest';
import {
  documentInputs,
  encode,
  gptFromFile,
  gptSampler,
  gptToFile,
  gptTrainer,
  vocabularyOf,
  type Gpt,
} from './gpt-train.js';
import { gptGraph, gptShapes, initialWeights, microgptSizes, type GptConfig } from './gpt.js';
import { seededRandom } from './random.js';

const reference = () => gptFromFile(structuredClone(microgptReference.init));

describe('microgpt', () => {
  it('matches an independent float64 reference step by step (2 layers, 2 heads, block 8)', () => {
    const gpt = reference();
    const { documents, losses } = microgptReference;
    expect(gpt.config).toMatchObject({ n_embd: 8, n_head: 2, n_layer: 2, block_size: 8 });
    // Documents longer than the block are cut, shorter ones padded: both kinds are in the run.
    expect(documents.some((d) => d.length + 1 > 8) && documents.some((d) => d.length < 7)).toBe(
      true,
    );
    const trainer = gptTrainer(gpt, { steps: losses.length });
    const ours = documents.map((document) => trainer.step(document));
    ours.forEach((loss, step) => expect(Math.abs(loss - losses[step]!)).toBeLessThan(1e-12));
    expect(ours.at(-1)!).toBeLessThan(ours[0]! - 0.5); // and it learned
  });

  it("gives the loss's gradients, to central differences, for a short and a cut document", () => {
    const gpt = reference();
    const graph = gptGraph(gpt.config, gpt.weights);
    const inputs = [...graph.tokens.flat(), ...graph.targets.flat(), graph.scale];
    const f = compileGradients(graph.loss, { inputs, parameters: graph.weights });
    const random = seededRandom('gpt gradients');
    for (const document of ['ava', 'christopher']) {
      const x = new Float64Array(inputs.length);
      documentInputs(gpt.config, document, x);
      const gradients = new Float64Array(gpt.weights.length);
      f(x, gradients);
      for (let k = 0; k < 40; k++) {
        const i = Math.floor(random.next() * gpt.weights.length);
        const w = f.parameters[i]!;
        const h = 1e-5;
        f.parameters[i] = w + h;
        const up = f(x);
        f.parameters[i] = w - h;
        const down = f(x);
        f.parameters[i] = w;
        expect(gradients[i]!).toBeCloseTo((up - down) / (2 * h), 8);
      }
    }
  });

  it('reads and writes its state dict, and says what is wrong with a bad one', () => {
    const gpt = reference();
    expect(gptFromFile(JSON.parse(JSON.stringify(gptToFile(gpt))))).toEqual(gpt);
    const file = gptToFile(gpt);
    expect(Object.keys(file.state_dict)).toEqual(gptShapes(gpt.config).map(([name]) => name));
    expect(() => gptFromFile({ ...file, state_dict: { ...file.state_dict, wpe: [[1]] } })).toThrow(
      "the state dict's 'wpe' must be 8 rows of 8 numbers for these sizes",
    );
    const { lm_head, ...withoutHead } = file.state_dict;
    expect(lm_head).toBeDefined();
    expect(() => gptFromFile({ ...file, state_dict: withoutHead })).toThrow("'lm_head' must be");
    const nan = structuredClone(file);
    nan.state_dict.wte![2]![3] = Number.NaN;
    expect(() => gptFromFile(nan)).toThrow("'wte' holds NaN, not a number");
    expect(() => gptFromFile({ ...file, n_head: 3 })).toThrow('multiple of n_head (3)');
    expect(() => gptFromFile({ ...file, chars: 'aab' })).toThrow('each character once');
    expect(() => gptFromFile([1, 2])).toThrow('a GPT file is a JSON object');
    expect(() => encode(gpt.config, 'Émile')).toThrow(
      "the document 'Émile' has 'É', which is not in the model's vocabulary",
    );
  });

  it('samples documents of its own characters, the same ones for the same seed', () => {
    const config: GptConfig = { chars: vocabularyOf(['ab', 'ba', 'c']), ...microgptSizes };
    expect(config.chars).toBe('abc');
    const gpt: Gpt = { config, weights: initialWeights(config, seededRandom(1)) };
    const sample = gptSampler(gpt);
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => sample(random, 1));
    };
    const names = draw(3);
    expect(draw(3)).toEqual(names);
    expect(names.every((name) => /^[abc]*$/.test(name) && name.length <= 16)).toBe(true);
    expect(new Set(names).size).toBeGreaterThan(5); // an untrained model draws nearly uniformly
  });

  it('trains a fresh model and refuses bad options', () => {
    const config: GptConfig = { chars: 'ab', n_embd: 4, n_head: 1, n_layer: 1, block_size: 4 };
    const gpt: Gpt = { config, weights: initialWeights(config, seededRandom(2)) };
    const trainer = gptTrainer(gpt, { steps: 60, learningRate: 0.05 });
    const losses = Array.from({ length: 60 }, () => trainer.step('ab'));
    expect(losses.at(-1)!).toBeLessThan(0.1 * losses[0]!);
    expect(() => trainer.step('ab')).toThrow("the run's 60 steps are done");
    expect(() => gptTrainer(gpt, { steps: 0 })).toThrow('steps must be a whole number above 0');
    expect(() => gptTrainer(gpt, { steps: 1, learningRate: -1 })).toThrow('positive number');
    expect(() => gptSampler(gpt)(seededRandom(1), 0)).toThrow('temperature must be a positive');
  });
});
