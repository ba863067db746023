import { describe, expect, it } from 'vitest';
import { classificationMetrics, regressionMetrics, rocAuc } from './index.js';

describe('classification metrics', () => {
  // Worked by hand: 3 classes, 8 rows.
  const actual = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 1, 2, 2, 2, 0];
  const metrics = classificationMetrics(actual, predicted, ['a', 'b', 'c']);

  it('counts a k × k confusion matrix, actual by predicted', () => {
    expect(metrics.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(metrics.accuracy).toBe(5 / 8);
  });

  it('gives each class its precision, recall, F1 and support, and the macro F1', () => {
    const f1 = (p: number, r: number) => (2 * p * r) / (p + r);
    expect(metrics.classes).toEqual([
      { name: 'a', precision: 2 / 3, recall: 2 / 3, f1: f1(2 / 3, 2 / 3), support: 3 },
      { name: 'b', precision: 1 / 2, recall: 1 / 2, f1: f1(1 / 2, 1 / 2), support: 2 },
      { name: 'c', precision: 2 / 3, recall: 2 / 3, f1: f1(2 / 3, 2 / 3), support: 3 },
    ]);
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 15);
    expect(metrics.auc).toBeUndefined();
  });

  it('scores a class never predicted, or never present, as 0', () => {
    const none = classificationMetrics([0, 0], [0, 0], ['a', 'b']);
    expect(none.classes[1]).toEqual({ name: 'b', precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('gives two classes the AUC of the scores', () => {
    const two = classificationMetrics(
      [0, 1, 1, 0],
      [0, 1, 0, 0],
      ['no', 'yes'],
      [0.1, 0.9, 0.4, 0.35],
    );
    expect(two.auc).toBe(1);
  });
});

describe('ROC AUC', () => {
  it('is the chance a positive outscores a negative, ties counting half', () => {
    // Positives 0.8, 0.4; negatives 0.6, 0.4, 0.1: 0.8 beats all 3; 0.4 beats 0.1, ties 0.4.
    expect(rocAuc([0.8, 0.6, 0.4, 0.4, 0.1], [true, false, true, false, false])).toBe(4.5 / 6);
    expect(rocAuc([0.2, 0.9], [true, false])).toBe(0);
    expect(rocAuc([0.2, 0.9], [true, true])).toBeNaN();
  });
});

describe('regression metrics', () => {
  it('gives the MSE, RMSE, MAE and R² in the targets’ units', () => {
    const targets = [[1], [2], [3], [4]];
    const predictions = [[1.5], [2], [2.5], [5]];
    const m = regressionMetrics(predictions, targets);
    expect(m.mse).toBe((0.25 + 0 + 0.25 + 1) / 4);
    expect(m.rmse).toBe(Math.sqrt(m.mse));
    expect(m.mae).toBe((0.5 + 0 + 0.5 + 1) / 4);
    expect(m.r2).toBe(1 - 1.5 / 5);
  });

  it('averages over several targets, and scores a constant target as scikit-learn does', () => {
    const m = regressionMetrics(
      [
        [0, 7],
        [2, 7],
      ],
      [
        [0, 7],
        [2, 7],
      ],
    );
    expect(m).toEqual({ mse: 0, rmse: 0, mae: 0, r2: 1 });
    expect(regressionMetrics([[1], [1]], [[3], [3]]).r2).toBe(0);
  });
});
