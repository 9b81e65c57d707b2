import { describe, expect, it } from 'vitest';
import { Dense, Sequential, ShapeError, Sigmoid, Softmax, DataError, Tensor, isClassLabels, meanAbsoluteError, r2Score, rootMeanSquaredError } from 'tinydense';

describe('regression figures', () => {
  const p = Tensor.from([[1, 0], [2, 2], [4, 1]], 'float64');
  const y = Tensor.from([[1, 1], [3, 2], [2, 1]], 'float64');
  it('computes MAE, RMSE and R² (averaged over columns, as scikit-learn)', () => {
    expect(meanAbsoluteError(p, y)).toBeCloseTo((0 + 1 + 1 + 0 + 2 + 0) / 6, 14);
    expect(rootMeanSquaredError(p, y)).toBeCloseTo(Math.sqrt((0 + 1 + 1 + 0 + 4 + 0) / 6), 14);
    // column 0: y = 1, 3, 2 (mean 2, spread 2), residual 0 + 1 + 4 = 5 → 1 − 5/2; column 1: y = 1, 2, 1 (mean 4/3, spread 2/3), residual 1 → 1 − 1.5
    expect(r2Score(p, y)).toBeCloseTo((1 - 5 / 2 + (1 - 1 / (2 / 3))) / 2, 14);
  });
  it('scores a constant target column 1 when exact and 0 otherwise', () => {
    const c = Tensor.from([[2], [2]], 'float64');
    expect(r2Score(c, c)).toBe(1);
    expect(r2Score(Tensor.from([[2], [3]], 'float64'), c)).toBe(0);
  });
  it('rejects mismatched shapes', () => {
    expect(() => rootMeanSquaredError(p, Tensor.zeros([3, 1]))).toThrow(ShapeError);
  });
  it('tells class labels (one-hot, or 0/1 for one output) from numbers', () => {
    expect(isClassLabels(Tensor.from([[0, 1], [1, 0]]))).toBe(true);
    expect(isClassLabels(Tensor.from([[0], [1]]))).toBe(true);
    expect(isClassLabels(Tensor.from([[0, 0], [1, 0]]))).toBe(false);
    expect(isClassLabels(Tensor.from([[0.2, 0.8]]))).toBe(false);
    expect(isClassLabels(Tensor.from([[3.5]]))).toBe(false);
  });
});

describe('Sequential.evaluate', () => {
  it('reports accuracy for class labels and the regression figures for numbers', () => {
    const classifier = new Sequential([new Dense(2, 2), new Softmax()]);
    const c = classifier.evaluate([[0, 1]], [[1, 0]], 'categorical-cross-entropy');
    expect(Object.keys(c).sort()).toEqual(['accuracy', 'loss']);
    const binary = new Sequential([new Dense(2, 1), new Sigmoid()]);
    expect(binary.evaluate([[0, 1]], [[1]], 'cross-entropy').accuracy).toBeTypeOf('number');
    const regressor = new Sequential([new Dense(2, 1)], { dtype: 'float64' });
    const x = [[0, 1], [1, 1], [2, 0]];
    const y = [[3], [1.5], [-2]];
    const r = regressor.evaluate(x, y, 'quadratic');
    expect(Object.keys(r).sort()).toEqual(['loss', 'meanAbsoluteError', 'r2', 'rootMeanSquaredError']);
    const predicted = regressor.predict(x);
    const target = Tensor.from(y, 'float64');
    expect(r.rootMeanSquaredError).toBe(rootMeanSquaredError(predicted, target));
    expect(r.meanAbsoluteError).toBe(meanAbsoluteError(predicted, target));
    expect(r.r2).toBe(r2Score(predicted, target));
  });
  it('refuses an empty set instead of returning NaN', () => {
    const model = new Sequential([new Dense(2, 1)]);
    expect(() => model.evaluate(Tensor.zeros([0, 2]), Tensor.zeros([0, 1]), 'quadratic')).toThrow(DataError);
  });
});
