import { describe, expect, it } from 'vitest';
import {
  classIndices,
  decodeClass,
  encodeClass,
  guessTask,
  isOneHot,
  NeuralNetworkError,
  outputFor,
} from './index.js';

describe('tasks and labels', () => {
  it.each([
    [
      ['setosa', 'virginica', 'versicolor', 'setosa'],
      ['setosa', 'versicolor', 'virginica'],
    ],
    [
      ['0', '1', '1', '0'],
      ['0', '1'],
    ],
    [
      ['-1', '1', '1'],
      ['-1', '1'],
    ],
    [
      ['2', '0', '1', '10', '1.0'],
      ['0', '1', '2', '10'],
    ],
    [
      ['yes', '1', 'no'],
      ['1', 'no', 'yes'],
    ],
  ])('reads %j as the classes %j', (labels, classes) => {
    expect(guessTask(labels)).toEqual({ kind: 'classification', classes });
  });

  it.each([
    ['many whole numbers', Array.from({ length: 11 }, (_, i) => String(i * 3))],
    ['fractions', ['0.5', '1', '1.5']],
    ['one value', ['4', '4']],
  ])('reads %s as regression', (_, labels) => {
    expect(guessTask(labels)).toEqual({ kind: 'regression' });
  });

  it('takes the kind it is told', () => {
    const many = Array.from({ length: 20 }, (_, i) => String(i));
    expect(guessTask(many, 'classification')).toEqual({ kind: 'classification', classes: many });
    expect(guessTask(['0', '1'], 'regression')).toEqual({ kind: 'regression' });
  });

  it('gives each label its class index, naming a label that is not a class', () => {
    expect(classIndices(['b', 'a', 'c'], ['a', 'b', 'c'])).toEqual([1, 0, 2]);
    expect(classIndices(['1.0', '0'], ['0', '1'])).toEqual([1, 0]);
    expect(() => classIndices(['a', 'z'], ['a', 'b'])).toThrow(NeuralNetworkError);
    expect(() => classIndices(['a', 'z'], ['a', 'b'])).toThrow(
      'label "z" (row 2) is not one of the classes a, b',
    );
  });

  it('picks the output layer and loss that suit the task', () => {
    expect(outputFor({ kind: 'classification', classes: ['a', 'b'] })).toEqual({
      size: 1,
      activation: 'sigmoid',
      loss: 'binaryCrossEntropy',
    });
    expect(outputFor({ kind: 'classification', classes: ['a', 'b', 'c'] })).toEqual({
      size: 3,
      activation: 'softmax',
      loss: 'categoricalCrossEntropy',
    });
    expect(outputFor({ kind: 'regression' }, 2)).toEqual({
      size: 2,
      activation: 'linear',
      loss: 'mse',
    });
    expect(() => outputFor({ kind: 'classification', classes: ['a'] })).toThrow(
      'classification needs two or more classes, got 1',
    );
  });

  it('encodes a class as its output learns it, and decodes an output back', () => {
    expect(encodeClass(1, 1, 'sigmoid')).toBe(1);
    expect(encodeClass(0, 1, 'tanh')).toBe(-1);
    expect(encodeClass(2, 3, 'softmax')).toEqual([0, 0, 1]);
    expect(decodeClass([0.8], 'sigmoid')).toEqual({ index: 1, probabilities: [1 - 0.8, 0.8] });
    expect(decodeClass([-0.5], 'tanh')).toEqual({ index: 0, probabilities: [0.75, 0.25] });
    expect(decodeClass([1.5], 'linear').probabilities).toEqual([0, 1]);
    expect(decodeClass([0.2, 0.5, 0.3], 'softmax')).toEqual({
      index: 1,
      probabilities: [0.2, 0.5, 0.3],
    });
  });

  it('tells one-hot rows from other numbers', () => {
    expect(
      isOneHot([
        [0, 1, 0],
        [1, 0, 0],
      ]),
    ).toBe(true);
    expect(isOneHot([[0, 1, 1]])).toBe(false);
    expect(isOneHot([[0, 0.5, 0.5]])).toBe(false);
  });
});
