import { describe, expect, it } from 'vitest';
import {
  meanLoss,
  Network,
  playgroundData,
  train,
  trainer,
  type Activation,
  type Loss,
  type OptimizerName,
} from './index.js';

// Training through the compiled loss-and-gradients function and through eager backward must give
// the same numbers, to round-off, whatever the loss, optimizer, batch size and activation.

const data = playgroundData('gauss', { samples: 12, seed: 3 }).map((e) => ({
  input: e.input.map((v) => v / 4),
  target: e.target,
}));
const grid = (['mse', 'halfSquaredError', 'binaryCrossEntropy'] as Loss[]).flatMap((loss) =>
  (['sgd', 'momentum', 'adam'] as OptimizerName[]).flatMap((optimizer) =>
    [1, 5].flatMap((batchSize) =>
      (['sigmoid', 'tanh', 'relu', 'linear'] as Activation[]).map((activation) => ({
        loss,
        optimizer,
        batchSize,
        activation,
      })),
    ),
  ),
);

interface TrainingRun {
  parameters: number[];
  history: { trainLoss: number[] };
}

/** Two runs with the same parameters and losses, to round-off (1e-12 relative). */
function expectSameRun(compiled: TrainingRun, eager: TrainingRun): void {
  compiled.parameters.forEach((value, i) => {
    expect(Math.abs(value - eager.parameters[i]!)).toBeLessThanOrEqual(
      1e-12 * Math.max(1, Math.abs(value)),
    );
  });
  compiled.history.trainLoss.forEach((value, i) => {
    expect(Math.abs(value - eager.history.trainLoss[i]!)).toBeLessThanOrEqual(
      1e-12 * Math.max(1, value),
    );
  });
}

describe('compiled and eager training', () => {
  it.each(grid)(
    'agree: $loss, $optimizer, batch $batchSize, $activation',
    ({ loss, optimizer, batchSize, activation }) => {
      // Cross-entropy needs outputs in (0, 1) and 0/1 labels.
      const examples =
        loss === 'binaryCrossEntropy'
          ? data.map((e) => ({ ...e, target: e.target > 0 ? 1 : 0 }))
          : data;
      const run = (engine: 'compiled' | 'batched' | 'eager') => {
        const network = new Network([2, 3, 1], {
          activation,
          outputActivation: loss === 'binaryCrossEntropy' ? 'sigmoid' : activation,
          init: 'xavier',
          seed: 5,
        });
        const history = train(network, examples, {
          epochs: 4,
          learningRate: 0.02,
          loss,
          optimizer,
          batchSize,
          engine,
          regularization: { kind: 'l2', rate: 0.01 },
        });
        return { parameters: network.parameters().map((p) => p.value), history };
      };
      const compiled = run('compiled');
      const eager = run('eager');
      expectSameRun(compiled, eager);
      // A batch at once, the very numbers of one example at a time.
      const batched = run('batched');
      expect(batched.parameters).toEqual(compiled.parameters);
      expect(batched.history).toEqual(compiled.history);
    },
  );
});

// The compiled engine's tape runs written out as code, its long sums called (2-16-16-1), or
// interpreted (2-40-24-1 and larger).
const tapeGrid = [
  { shape: [2, 14, 10, 1], loss: 'halfSquaredError', outputActivation: 'tanh' },
  { shape: [2, 14, 10, 1], loss: 'binaryCrossEntropy', outputActivation: 'sigmoid' },
  { shape: [2, 24, 4], loss: 'categoricalCrossEntropy', outputActivation: 'softmax' },
  { shape: [2, 16, 16, 1], loss: 'halfSquaredError', outputActivation: 'tanh' },
  { shape: [2, 40, 24, 1], loss: 'halfSquaredError', outputActivation: 'tanh' },
  { shape: [2, 64, 48, 3], loss: 'categoricalCrossEntropy', outputActivation: 'softmax' },
] as const;

describe('the engine a run gets', () => {
  it('is the batched one for mini-batches of a network large enough, else the compiled one', () => {
    const small = new Network([2, 8, 1], { seed: 1 });
    const large = new Network([2, 32, 32, 1], { seed: 1 });
    expect(trainer(small, data, { learningRate: 0.1, batchSize: 10 }).engine).toBe('compiled');
    expect(trainer(large, data, { learningRate: 0.1 }).engine).toBe('compiled');
    expect(trainer(large, data, { learningRate: 0.1, batchSize: 10 }).engine).toBe('batched');
    const chosen = trainer(small, data, { learningRate: 0.1, batchSize: 10, engine: 'batched' });
    expect(chosen.engine).toBe('batched');
  });
});

describe('the batched engine and scoring', () => {
  it("share one tape, each starting from the network's values as they are", () => {
    const options = { epochs: 3, learningRate: 0.1, batchSize: 4, loss: 'mse' } as const;
    const network = new Network([2, 12, 12, 1], { activation: 'tanh', seed: 4 });
    const untrained = meanLoss(network, data, 'mse'); // (compiles the tape, at these values)
    const first = train(network, data, options);
    expect(meanLoss(network, data, 'mse')).toBe(first.trainLoss.at(-1));
    expect(untrained).toBeGreaterThan(first.trainLoss.at(-1)!);
    // A second run goes on from where the first ended, as a copy of the network trained afresh.
    const copy = new Network([2, 12, 12, 1], { activation: 'tanh', seed: 9 });
    copy.parameters().forEach((p, i) => (p.value = network.parameters()[i]!.value));
    expect(train(network, data, options)).toEqual(train(copy, data, options));
    expect(meanLoss(network, data, 'mse')).toBe(meanLoss(copy, data, 'mse'));
  });
});

describe('the compiled engine', () => {
  it.each([
    { shape: [2, 3, 1], mode: 'code' },
    { shape: [2, 16, 16, 1], mode: 'code' },
    { shape: [2, 40, 24, 1], mode: 'tape' },
  ] as const)('runs $shape on the tape, in $mode mode', ({ shape, mode }) => {
    const network = new Network([...shape], { seed: 1 });
    expect(trainer(network, data, { learningRate: 0.1 })).toMatchObject({
      engine: 'compiled',
      mode,
    });
    const eager = trainer(network, data, { learningRate: 0.1, engine: 'eager' });
    expect(eager).toMatchObject({ engine: 'eager', mode: undefined });
  });
});

describe('training on the tape (larger networks) and eager training', () => {
  it.each(
    tapeGrid.flatMap((job) =>
      (['tanh', 'relu', 'sigmoid'] as Activation[]).flatMap((activation) =>
        (['sgd', 'adam'] as OptimizerName[]).map((optimizer) => ({
          ...job,
          activation,
          optimizer,
        })),
      ),
    ),
  )(
    'agree: $shape, $loss, $activation, $optimizer',
    ({ shape, loss, outputActivation, activation, optimizer }) => {
      const classes = shape.at(-1)!;
      const examples = data.map((e, i) => ({
        input: e.input,
        target:
          classes > 1
            ? Array.from({ length: classes }, (_, c) => (c === i % classes ? 1 : 0))
            : loss === 'binaryCrossEntropy'
              ? Number(e.target > 0)
              : e.target,
      }));
      const run = (engine: 'compiled' | 'batched' | 'eager') => {
        const network = new Network(shape, {
          activation,
          outputActivation,
          init: 'xavier',
          seed: 5,
        });
        const history = train(network, examples, {
          epochs: 3,
          learningRate: 0.05,
          loss,
          optimizer,
          batchSize: 5,
          engine,
          regularization: { kind: 'l2', rate: 0.01 },
        });
        return { network, parameters: network.parameters().map((p) => p.value), history };
      };
      const compiled = run('compiled');
      const eager = run('eager');
      expectSameRun(compiled, eager);
      const batched = run('batched');
      expect(batched.parameters).toEqual(compiled.parameters);
      expect(batched.history).toEqual(compiled.history);
    },
  );
});
