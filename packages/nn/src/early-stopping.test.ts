import { describe, expect, it } from 'vitest';
import {
  meanLoss,
  Network,
  playgroundData,
  train,
  type LearningRateSchedule,
  type TrainOptions,
} from './index.js';

const data = playgroundData('gauss', { samples: 120, noise: 0.5, seed: 4 });
const [training, validation] = [data.slice(0, 80), data.slice(80)];
const network = () => new Network([2, 8, 1], { activation: 'tanh', seed: 2 });

describe('early stopping', () => {
  const options: TrainOptions = {
    epochs: 300,
    learningRate: 0.3,
    loss: 'halfSquaredError',
    validation,
    patience: 5,
  };

  it('stops once the validation loss has not improved for `patience` epochs, keeping the best weights', () => {
    const net = network();
    const history = train(net, training, options);
    expect(history.stoppedEarly).toBe(true);
    const best = history.bestEpoch!;
    const losses = history.validationLoss;
    expect(losses).toHaveLength(best + 1 + 5);
    expect(Math.min(...losses)).toBe(losses[best]);
    expect(meanLoss(net, validation, 'halfSquaredError')).toBe(losses[best]);
  });

  it('runs every epoch, and still keeps the best, when patience never runs out', () => {
    const history = train(network(), training, { ...options, epochs: 4 });
    const losses = history.validationLoss;
    expect(losses).toHaveLength(4);
    expect(history).toMatchObject({
      stoppedEarly: false,
      bestEpoch: losses.indexOf(Math.min(...losses)),
    });
  });

  it('needs validation examples and a whole number of epochs to wait', () => {
    expect(() => train(network(), training, { ...options, validation: [] })).toThrow(
      'patience needs validation examples to watch',
    );
    expect(() => train(network(), training, { ...options, patience: 0 })).toThrow(
      'patience must be a whole number ≥ 1, got 0',
    );
  });
});

describe('learning-rate schedules', () => {
  const ratesOf = (schedule: LearningRateSchedule, epochs = 4) => {
    const rates: number[] = [];
    train(network(), training.slice(0, 10), {
      epochs,
      learningRate: 0.8,
      schedule,
      onEpoch: ({ learningRate }) => rates.push(learningRate),
    });
    return rates;
  };

  it.each<[string, LearningRateSchedule, number[]]>([
    ['constant', { kind: 'constant' }, [0.8, 0.8, 0.8, 0.8]],
    ['step', { kind: 'step', every: 2, factor: 0.5 }, [0.8, 0.8, 0.4, 0.4]],
    ['linear', { kind: 'linear' }, [0.8, 0.6, 0.4, 0.2]],
    ['linear to a floor', { kind: 'linear', end: 0.5 }, [0.8, 0.7, 0.6, 0.5]],
    ['cosine', { kind: 'cosine' }, [0.8, 0.4 * (1 + Math.SQRT1_2), 0.4, 0.4 * (1 - Math.SQRT1_2)]],
  ])('%s', (_, schedule, expected) => {
    ratesOf(schedule).forEach((rate, i) => expect(rate).toBeCloseTo(expected[i]!, 15));
  });

  it('changes the updates: a decaying rate ends elsewhere than a constant one', () => {
    const run = (schedule: LearningRateSchedule) => {
      const net = network();
      train(net, training, { epochs: 5, learningRate: 0.5, schedule });
      return net.parameters().map((p) => p.value);
    };
    expect(run({ kind: 'cosine' })).not.toEqual(run({ kind: 'constant' }));
  });

  it('says what is wrong with a schedule', () => {
    expect(() => ratesOf({ kind: 'step', every: 0 })).toThrow(
      'learning-rate schedule step: "every" must be a whole number ≥ 1, got 0',
    );
    expect(() => ratesOf({ kind: 'cosine', end: 2 })).toThrow('"end" must be in [0, 1], got 2');
    expect(() => ratesOf({ kind: 'warmup' } as never)).toThrow(
      'learning-rate schedule warmup: unknown; use constant, step, linear or cosine',
    );
  });
});
