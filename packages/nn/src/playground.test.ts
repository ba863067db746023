import { describe, expect, it } from 'vitest';
import { meanLoss } from './metrics.js';
import { playgroundExperiment } from './playground.js';
import { parsePlaygroundUrl, readPlaygroundUrl, toPlaygroundHash } from './playground-url.js';
import { train } from './train.js';
import { recordedExperiments } from '@dendrite/fixtures';

const experiments = recordedExperiments;

describe('playgroundExperiment replays the Playground', () => {
  // On the compiled engine one example at a time, and on the batched engine a batch at once.
  const engines = ['compiled', 'batched'] as const;
  it.each(
    experiments.flatMap((e) =>
      engines.map((engine) => [e.url.slice(e.url.indexOf('#')), engine, e] as const),
    ),
  )('%s (%s)', (_, engine, recorded) => {
    const settings = parsePlaygroundUrl(recorded.url);
    const experiment = playgroundExperiment({ ...settings, seed: settings.seed! });
    expect([experiment.train.length, experiment.test.length]).toEqual([
      recorded.trainSize,
      recorded.testSize,
    ]);
    const { x, y, label } = recorded.firstPoint;
    expect(experiment.points.train[0]).toEqual({ input: [x, y], target: label });
    const loss = 'halfSquaredError';
    expect(meanLoss(experiment.network, experiment.train, loss)).toBe(recorded.initialLoss.train);
    expect(meanLoss(experiment.network, experiment.test, loss)).toBe(recorded.initialLoss.test);

    const { trainLoss, testLoss } = train(experiment.network, experiment.train, {
      ...experiment.trainOptions,
      epochs: recorded.epochs,
      engine,
    });
    // Bit for bit: with L1, whether a weight dies can hinge on its last bit, so "close" would
    // compound into a different run.
    expect(trainLoss).toEqual(recorded.trainLoss);
    expect(testLoss).toEqual(recorded.testLoss);
    // L1 links that crossed 0 stay at 0, as the Playground's dead links do.
    const zeros = experiment.network.parameters().filter((p) => p.value === 0).length;
    expect(zeros).toBeGreaterThanOrEqual(recorded.deadLinks);
  });

  it('covers L1 links dying, regression, carried batches, initZero and no hidden layer', () => {
    const settings = experiments.map((e) => parsePlaygroundUrl(e.url));
    // Deep L1 runs (3 or more hidden layers, links dying) on every data set.
    for (const data of ['circle', 'xor', 'gauss', 'spiral', 'reg-plane', 'reg-gauss']) {
      const deepL1 = settings.some(
        (s, i) =>
          (s.problem === 'regression' ? s.regDataset : s.dataset) === data &&
          s.regularization === 'L1' &&
          s.networkShape.length >= 3 &&
          experiments[i]!.deadLinks > 0,
      );
      expect(deepL1, data).toBe(true);
    }
    expect(settings.some((s) => s.problem === 'regression' && s.regularization === 'L2')).toBe(
      true,
    );
    for (const size of [1, 30]) expect(settings.some((s) => s.batchSize === size)).toBe(true);
    expect(settings.some((s) => s.features.length === 7 && s.networkShape.length >= 3)).toBe(true);
    expect(Math.max(...experiments.map((e) => e.epochs))).toBeGreaterThanOrEqual(300);
    // A run that diverges, which the page trains on through NaN.
    expect(experiments.some((e) => e.trainLoss.some(Number.isNaN))).toBe(true);
    expect(experiments.some((e) => e.deadLinks > 10)).toBe(true);
    expect(settings.some((s) => s.problem === 'regression')).toBe(true);
    expect(settings.some((s, i) => experiments[i]!.trainSize % s.batchSize !== 0)).toBe(true);
    expect(settings.some((s) => s.initZero && s.networkShape.length === 0)).toBe(true);
  });
});

describe('parsePlaygroundUrl', () => {
  it('reads the lecture’s link and fills in what a URL leaves out with the page’s defaults', () => {
    const lecture = parsePlaygroundUrl(experiments[0]!.url);
    expect(lecture).toMatchObject({
      seed: '0.05981',
      dataset: 'xor',
      noise: 40,
      percTrainData: 60,
      networkShape: [4, 2],
      features: ['x', 'y'],
      learningRate: 0.03,
      batchSize: 30,
      regularization: 'none',
    });
    expect(parsePlaygroundUrl('#')).toMatchObject({
      seed: undefined,
      dataset: 'circle',
      batchSize: 10,
      percTrainData: 50,
      networkShape: [4, 2],
      features: ['x', 'y'],
      activation: 'tanh',
    });
    expect(parsePlaygroundUrl('#networkShape=&x=false&sinY=true&xSquared=true')).toMatchObject({
      networkShape: [],
      features: ['y', 'xSquared', 'sinY'],
    });
    expect(parsePlaygroundUrl('#y_hide=true').features).toEqual(['x']);
    // A URL without a hash is the page as it opens; so is an empty hash.
    for (const url of ['https://playground.tensorflow.org', '#', 'seed=0.5&tutorial=dp']) {
      expect(parsePlaygroundUrl(url)).toMatchObject({ dataset: 'circle', networkShape: [4, 2] });
    }
  });

  it.each([
    ['#activation=softmax', 'activation=softmax is not one of relu, tanh, sigmoid, linear'],
    ['#dataset=moons', 'dataset=moons is not one of circle, xor, gauss, spiral'],
    ['#batchSize=2.5', 'batchSize=2.5 must be a whole number from 1'],
    ['#learningRate=abc', 'learningRate=abc must be a number'],
    ['#noise=90', 'noise=90 must be a number from 0 to 50'],
    ['#networkShape=4,x', 'networkShape=4,x must list whole numbers'],
    ['#x=false&y=false', 'every input feature is off'],
    ['not a url', '"not a url" is not a key=value pair; give a Playground URL such as'],
    ['#seed=1&dataset', '"dataset" is not a key=value pair'],
    ['colour=blue&size=3', 'none of colour, size is a Playground setting'],
    ['#seed=%E0%A4', '"%E0%A4" is not valid URL encoding'],
  ])('rejects %s', (url, message) => {
    expect(() => parsePlaygroundUrl(url)).toThrow(message);
  });

  it('names every bad key at once; readPlaygroundUrl keeps the good ones', () => {
    const url = '#dataset=moons&noise=90&networkShape=3,3&activation=relu&batchSize=0';
    expect(() => parsePlaygroundUrl(url)).toThrow(
      'in the Playground URL: dataset=moons is not one of circle, xor, gauss, spiral; noise=90 must be a number from 0 to 50; batchSize=0 must be a whole number from 1',
    );
    const { settings, problems } = readPlaygroundUrl(url);
    expect(problems).toHaveLength(3);
    expect(settings).toMatchObject({
      dataset: 'circle',
      noise: 0,
      batchSize: 10,
      networkShape: [3, 3],
      activation: 'relu',
    });
    // Each reading has its own shape to change.
    readPlaygroundUrl('').settings.networkShape.push(9);
    expect(readPlaygroundUrl('').settings.networkShape).toEqual([4, 2]);
  });
});

describe('toPlaygroundHash', () => {
  it('writes settings back in the page’s keys, so that they parse to the same settings', () => {
    for (const { url } of experiments) {
      const settings = parsePlaygroundUrl(url);
      expect(parsePlaygroundUrl(toPlaygroundHash(settings))).toEqual(settings);
    }
    expect(toPlaygroundHash(parsePlaygroundUrl(experiments[0]!.url))).toBe(
      experiments[0]!.url.split('#')[1]!.replace(/&collectStats=false|&hideText=false/g, ''),
    );
  });
});
