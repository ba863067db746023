import { evaluate } from '@dendrite/autograd';
import { describe, expect, it } from 'vitest';
import {
  postprocess,
  preprocess,
  exampleLoss,
  encodeClass,
  loadModel,
  meanLoss,
  Network,
  normal,
  prepareExperiment,
  saveModel,
  seededRandom,
  taskMetrics,
  train,
  type Example,
} from './index.js';

/** Three Gaussian blobs in the plane, one per class, one-hot targets. */
function blobs(perClass: number, seed = 1): Example[] {
  const random = seededRandom(seed);
  const centres = [
    [-2, 0],
    [2, 0],
    [0, 3],
  ];
  return centres.flatMap(([cx, cy], c) =>
    Array.from({ length: perClass }, () => ({
      input: [normal(random, cx!, 0.6), normal(random, cy!, 0.6)],
      target: encodeClass(c, 3, 'softmax'),
    })),
  );
}

const softmaxNetwork = (seed = 3) =>
  new Network([2, 4, 3], { activation: 'tanh', outputActivation: 'softmax', init: 'xavier', seed });

describe('softmax outputs and categorical cross-entropy', () => {
  it('backpropagates the hand-derived p − y to the logits, and (p − y) · h to the output weights', () => {
    const network = softmaxNetwork();
    const target = [0, 1, 0];
    // The loss over the placeholder graph, as training builds it.
    const graph = network.placeholderGraph();
    [0.7, -1.3].forEach((x, i) => (graph.inputs[i]!.value = x));
    const loss = exampleLoss('categoricalCrossEntropy', graph, target);
    evaluate(loss);
    const p = evaluate(graph.outputs);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 15);
    loss.backward();
    const h = ['h1', 'h2', 'h3', 'h4'].map((label) => graph.neurons.get(label)!.value);
    const outputLayer = network.layers.at(-1)!;
    outputLayer.neurons.forEach((neuron, i) => {
      const delta = p[i]! - target[i]!;
      expect(graph.logits[i]!.grad).toBeCloseTo(delta, 15);
      expect(neuron.bias.grad).toBeCloseTo(delta, 15);
      neuron.weights.forEach((w, j) => expect(w.grad).toBeCloseTo(delta * h[j]!, 15));
    });
  });

  it('stays finite at logits of ±1000', () => {
    const network = new Network([1, 2], {
      activation: 'linear',
      outputActivation: 'softmax',
      init: 'zero',
    });
    const [a, b] = network.layers[0]!.neurons;
    a!.weights[0]!.value = 1000;
    b!.weights[0]!.value = -1000;
    const examples = [{ input: [1], target: [0, 1] }];
    expect(meanLoss(network, examples, 'categoricalCrossEntropy')).toBe(2000);
    const history = train(network, examples, {
      epochs: 2,
      learningRate: 0.1,
      loss: 'categoricalCrossEntropy',
    });
    expect(history.trainLoss.every(Number.isFinite)).toBe(true);
    expect(network.predict([1]).every(Number.isFinite)).toBe(true);
  });

  it('trains three classes, the compiled and eager engines agreeing to round-off', () => {
    const data = blobs(40);
    const runs = (['compiled', 'eager'] as const).map((engine) => {
      const network = softmaxNetwork();
      const history = train(network, data, {
        epochs: 15,
        learningRate: 0.05,
        loss: 'categoricalCrossEntropy',
        optimizer: 'adam',
        batchSize: 8,
        engine,
      });
      return { network, history };
    });
    runs[1]!.history.trainLoss.forEach((loss, i) =>
      expect(loss).toBeCloseTo(runs[0]!.history.trainLoss[i]!, 10),
    );
    const metrics = taskMetrics(runs[0]!.network, data, {
      task: { kind: 'classification', classes: ['left', 'right', 'top'] },
      loss: 'categoricalCrossEntropy',
    });
    expect(metrics.loss).toBe(runs[0]!.history.trainLoss.at(-1));
    expect('accuracy' in metrics && metrics.accuracy).toBeGreaterThan(0.95);
  });

  it('refuses categorical cross-entropy without a softmax output, and softmax with another loss', () => {
    const data = blobs(2);
    expect(() =>
      train(new Network([2, 3]), data, {
        epochs: 1,
        learningRate: 0.1,
        loss: 'categoricalCrossEntropy',
      }),
    ).toThrow('categoricalCrossEntropy needs a softmax output layer');
    expect(() => train(softmaxNetwork(), data, { epochs: 1, learningRate: 0.1 })).toThrow(
      'a softmax output trains with categoricalCrossEntropy, not mse',
    );
  });

  it('saves and loads a softmax classifier with its task, giving identical predictions', () => {
    const network = softmaxNetwork();
    train(network, blobs(10), { epochs: 3, learningRate: 0.1, loss: 'categoricalCrossEntropy' });
    const task = { kind: 'classification' as const, classes: ['left', 'right', 'top'] };
    const loaded = loadModel(
      saveModel(network, {}, { targets: ['side'] }, { task, loss: 'categoricalCrossEntropy' }),
    );
    expect(loaded.task).toEqual(task);
    expect(loaded.details.loss).toBe('categoricalCrossEntropy');
    expect(loaded.network.activations).toEqual(['tanh', 'softmax']);
    expect(loaded.network.predict([0.3, 2])).toEqual(network.predict([0.3, 2]));
  });
});

describe('several outputs', () => {
  it('averages a per-output loss over the outputs', () => {
    const network = new Network([1, 2], { activation: 'linear', init: 'zero' });
    // Outputs 0 and 0 against targets 1 and 3: ((1)² + (3)²) / 2.
    expect(meanLoss(network, [{ input: [1], target: [1, 3] }])).toBe(5);
  });

  it('fits two regression targets at once', () => {
    const random = seededRandom(2);
    const data = Array.from({ length: 60 }, () => {
      const x = normal(random, 0, 1);
      return { input: [x], target: [2 * x + 1, -x] };
    });
    const network = new Network([1, 2], { activation: 'linear', init: 'zero' });
    const history = train(network, data, { epochs: 200, learningRate: 0.05, batchSize: 10 });
    expect(history.trainLoss.at(-1)).toBeLessThan(1e-6);
  });

  it('scales regression targets for training and scales predictions back', () => {
    const data = Array.from({ length: 50 }, (_, i) => ({
      input: [i / 10],
      target: 1000 + 300 * (i / 10),
    }));
    const experiment = prepareExperiment({
      data,
      random: seededRandom(1),
      trainFraction: 0.8,
      normalize: true,
      scaleTargets: true,
      hidden: [],
      activation: 'linear',
      outputActivation: 'linear',
      training: { learningRate: 0.1, batchSize: 5 },
    });
    const { targets } = experiment.preprocessing;
    expect(targets!.mean[0]).toBeGreaterThan(1000);
    expect(Math.abs(experiment.train[0]!.target as number)).toBeLessThan(3);
    train(experiment.network, experiment.train, { ...experiment.trainOptions, epochs: 100 });
    const metrics = taskMetrics(experiment.network, experiment.test, {
      task: { kind: 'regression' },
      loss: 'mse',
      targetScaling: targets!,
    });
    expect('r2' in metrics && metrics.r2).toBeGreaterThan(0.999);
    expect('mae' in metrics && metrics.mae).toBeLessThan(1);
    const { network, preprocessing } = loadModel(experiment.modelFile());
    const raw = experiment.points.test[0]!;
    const prediction = postprocess(
      network.predict(preprocess(raw.input, preprocessing)),
      preprocessing,
    );
    expect(prediction[0]).toBeCloseTo(raw.target as number, 0);
  });
});
