import { describe, expect, it } from 'vitest';
import { prepareExperiment, type ExperimentPlan } from './experiment.js';
import { encodeRow } from './categories.js';
import { loadModel, preprocess, scaleInput } from './model.js';
import { modelToOnnx } from './onnx.js';
import { seededRandom } from './random.js';
import * as ort from 'onnxruntime-node';

// Every third row misses its first input, every fifth its second (NaN: a missing value).
const data = Array.from({ length: 30 }, (_, i) => ({
  input: [i % 3 === 0 ? NaN : i, i % 5 === 0 ? NaN : 30 - i * 0.5],
  target: i % 2,
}));
const plan: ExperimentPlan = {
  data,
  random: seededRandom('imputation'),
  trainFraction: 0.8,
  impute: true,
  normalize: true,
  hidden: [3],
  activation: 'tanh',
  outputActivation: 'sigmoid',
  training: { learningRate: 0.1, batchSize: 5 },
};
const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('filling missing inputs with their training means', () => {
  it('fits the means to the training rows alone, leaving out the gaps, and fills every part', () => {
    const experiment = prepareExperiment(plan);
    const { imputation } = experiment.preprocessing;
    const column = (j: number) =>
      experiment.points.train.map((e) => e.input[j]!).filter((v) => !Number.isNaN(v));
    expect(imputation).toEqual([meanOf(column(0)), meanOf(column(1))]);
    for (const part of [experiment.train, experiment.test]) {
      expect(part.flatMap((e) => e.input).every(Number.isFinite)).toBe(true);
    }
    // The normalization is fitted after the gaps are filled: the training inputs have mean 0.
    for (const j of [0, 1]) {
      expect(Math.abs(meanOf(experiment.train.map((e) => e.input[j]!)))).toBeLessThan(1e-12);
    }
  });

  it('is recorded in the model, which fills a missing input as training did, in ONNX too', async () => {
    const experiment = prepareExperiment(plan);
    const model = loadModel(experiment.modelFile());
    expect(model.preprocessing.imputation).toEqual(experiment.preprocessing.imputation);
    const [meanX] = model.preprocessing.imputation!;
    expect(preprocess([NaN, 4], model.preprocessing)).toEqual(
      preprocess([meanX!, 4], model.preprocessing),
    );
    const rows = [
      [NaN, 4],
      [7, NaN],
      [7, 4],
    ];
    const session = await ort.InferenceSession.create(modelToOnnx(experiment.modelFile()));
    const input = new ort.Tensor('float64', Float64Array.from(rows.flat()), [3, 2]);
    const { output } = await session.run({ input });
    const expected = rows.map(
      (row) => model.network.predict(preprocess(row, model.preprocessing))[0]!,
    );
    // The same numbers up to ONNX Runtime's own order of summing.
    [...(output!.data as Float64Array)].forEach((value, i) =>
      expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-12),
    );
  });

  it('is refused where it cannot be: a gap with no model to fill it, a column with no values', () => {
    const plain = loadModel(
      prepareExperiment({ ...plan, data: data.slice(1, 3), impute: false }).modelFile(),
    );
    expect(() => preprocess([NaN, 1], plain.preprocessing)).toThrow(
      'input 1 is missing, and the model fills no missing values',
    );
    const empty = data.map((e) => ({ ...e, input: [NaN, e.input[1]!] }));
    expect(() => prepareExperiment({ ...plan, data: empty })).toThrow(
      'input 1 has no value in any training example',
    );
    expect(() =>
      loadModel({
        ...JSON.parse(prepareExperiment(plan).modelFile()),
        preprocessing: { imputation: [1] },
      }),
    ).toThrow(/preprocessing\.imputation.*has 1 numbers; expected 2/);
  });
});

describe('a model with columns of categories, in ONNX', () => {
  // A colour (a category) and a size (a number) → whether the thing is big.
  const colours = ['black', 'red', 'white'];
  const categories = [colours, null];
  const raw = Array.from({ length: 24 }, (_, i) => [colours[i % 3]!, i % 5 === 0 ? NaN : i]);
  const experiment = prepareExperiment({
    ...plan,
    data: raw.map((cells, i) => ({ input: encodeRow(cells, categories), target: i % 2 })),
    categories,
  });
  const rows: [string, number][] = [
    ['red', 4],
    ['white', NaN],
    ['green', 7], // no category the model knows
  ];

  it('takes each column of categories as a string input, one-hot encoded as preprocess does', async () => {
    const session = await ort.InferenceSession.create(
      modelToOnnx(experiment.modelFile({ inputs: ['colour', 'size'] })),
    );
    expect(session.inputNames).toEqual(['input', 'colour']);
    const { output } = await session.run({
      colour: new ort.Tensor(
        'string',
        rows.map(([c]) => c),
        [3],
      ),
      input: new ort.Tensor('float64', Float64Array.from(rows.map(([, n]) => n)), [3, 1]),
    });
    const { preprocessing, network } = loadModel(experiment.modelFile());
    const shares = preprocessing.imputation!.slice(0, 3);
    const expected = [
      ...rows.slice(0, 2).map((row) => network.predict(preprocess(row, preprocessing))[0]!),
      // A category it does not know: each category's training share, as a gap would be filled.
      network.predict(scaleInput([...shares, 7], preprocessing))[0]!,
    ];
    [...(output!.data as Float64Array)].forEach((value, i) =>
      expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-12),
    );
  });
});
