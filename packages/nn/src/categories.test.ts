import { describe, expect, it } from 'vitest';
import { encodedNames, encodedWidth, encodeRow, fitCategories } from './categories.js';
import { NeuralNetworkError } from './errors.js';
import { loadModel, preprocess, saveModel } from './model.js';
import { Network } from './network.js';

const rows = [
  ['red', '1.5', 'S'],
  ['green', '2', 'M'],
  ['red', '-3', 'S'],
  ['blue', '4e2', 'L'],
];
const names = ['color', 'weight', 'size'];

describe('categories', () => {
  it('are the columns of words, sorted; a column of numbers is null', () => {
    const categories = fitCategories(rows, names);
    expect(categories).toEqual([['blue', 'green', 'red'], null, ['L', 'M', 'S']]);
    expect(encodedWidth(categories)).toBe(7);
    expect(encodedNames(categories, names)).toEqual([
      'color=blue',
      'color=green',
      'color=red',
      'weight',
      'size=L',
      'size=M',
      'size=S',
    ]);
  });

  it('one-hot each categorical cell and read each number, given as text or not', () => {
    const categories = fitCategories(rows, names);
    expect(encodeRow(['green', '2.5', 'L'], categories)).toEqual([0, 1, 0, 2.5, 1, 0, 0]);
    expect(encodeRow(['red', -1, 'M'], categories)).toEqual([0, 0, 1, -1, 0, 1, 0]);
  });

  it('name an unseen category, or a word among numbers, with the column', () => {
    const categories = fitCategories(rows, names);
    const fails = (row: (string | number)[], message: RegExp, named = names) => {
      expect(() => encodeRow(row, categories, named)).toThrow(NeuralNetworkError);
      expect(() => encodeRow(row, categories, named)).toThrow(message);
    };
    fails(
      ['purple', '1', 'S'],
      /^column "color": "purple" is not one of the categories the model was trained on \(blue, green, red\)$/,
    );
    fails(['red', 'heavy', 'S'], /^column "weight": "heavy" is not a number$/);
    fails(['red', '1', 'XL'], /^input 3: "XL" is not one of the categories/, []);
    fails(['red', '1'], /^the model takes 3 inputs, got 2$/);
  });

  it('leave a column of numbers with a few words, or decimal commas, to be reported as numbers', () => {
    const cells = [['1'], ['2,5'], ['3'], ['oops']];
    expect(fitCategories(cells)).toEqual([null]);
  });

  it('decide a column by its majority, words or numbers, wherever they are in it', () => {
    // Words in exactly half the rows leave numbers; one more makes categories, first or last.
    for (const words of [
      ['a', 'b', '1', '2', '3', '4'],
      ['1', '2', '3', 'a', 'b', 'c'],
      ['a', 'a', 'b', 'b', '1', '2', '3'].reverse(),
    ]) {
      const fitted = fitCategories(words.map((cell) => [cell]))[0];
      const count = words.filter((w) => /[a-z]/.test(w)).length;
      expect(fitted === null, words.join()).toBe(count * 2 <= words.length);
    }
  });

  it('refuse a column of text that differs in every row, as an identifier', () => {
    const ids = [['a1'], ['b2'], ['c3']];
    expect(() => fitCategories(ids, ['id'])).toThrow(
      /^column "id" has a different value in every row \(a1, b2, c3, …\), so it says nothing about any other row/,
    );
  });

  it('travel in a model file: predictions from raw cells, and the file is checked', () => {
    const categories = fitCategories(rows, names);
    const network = new Network([7, 2, 1], { seed: 3 });
    const loaded = loadModel(saveModel(network, { categories }, { inputs: names }));
    expect(loaded.preprocessing.categories).toEqual(categories);
    const raw = ['blue', '2', 'M'];
    expect(loaded.network.predict(preprocess(raw, loaded.preprocessing))).toEqual(
      network.predict(encodeRow(raw, categories)),
    );
    expect(() => preprocess(['teal', 2, 'M'], loaded.preprocessing, names)).toThrow(
      /column "color": "teal" is not one of the categories/,
    );
    const file = JSON.parse(saveModel(network, { categories }));
    file.preprocessing.categories[0].pop();
    expect(() => loadModel(file)).toThrow(
      /preprocessing\.categories: give 6 inputs; the network takes 7/,
    );
    file.preprocessing.categories[0].push('blue');
    expect(() => loadModel(file)).toThrow(/preprocessing\.categories\[0\]: a category twice/);
  });
});
