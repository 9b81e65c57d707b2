/**
 * The figures of a regression: mean absolute error, root mean squared error and
 * the coefficient of determination R², and the test that tells class labels
 * from numbers to predict.
 *
 * @module
 */
import { ShapeError, formatShape } from './errors.js';
import type { Tensor } from './tensor.js';

/**
 * The mean of |ŷ − y| over every value, in the targets' units.
 *
 * @param predicted - The network's outputs, `[n, outputs]`.
 * @param target - The targets, same shape.
 * @returns The mean absolute error (NaN for n = 0).
 * @throws {@link ShapeError} if the shapes differ.
 * @example
 * ```ts
 * import { Tensor, meanAbsoluteError } from 'tinydense';
 * meanAbsoluteError(Tensor.from([[1], [3]]), Tensor.from([[2], [2]])); // 1
 * ```
 */
export function meanAbsoluteError(predicted: Tensor, target: Tensor): number {
  const [p, y] = values(predicted, target, 'meanAbsoluteError');
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs((p[i] as number) - (y[i] as number));
  return sum / p.length;
}

/**
 * √(mean of (ŷ − y)²) over every value, in the targets' units.
 *
 * @param predicted - The network's outputs, `[n, outputs]`.
 * @param target - The targets, same shape.
 * @returns The root mean squared error (NaN for n = 0).
 * @throws {@link ShapeError} if the shapes differ.
 * @example
 * ```ts
 * import { Tensor, rootMeanSquaredError } from 'tinydense';
 * rootMeanSquaredError(Tensor.from([[1], [3]]), Tensor.from([[2], [2]])); // 1
 * ```
 */
export function rootMeanSquaredError(predicted: Tensor, target: Tensor): number {
  const [p, y] = values(predicted, target, 'rootMeanSquaredError');
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const e = (p[i] as number) - (y[i] as number);
    sum += e * e;
  }
  return Math.sqrt(sum / p.length);
}

/**
 * The coefficient of determination, R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², per output
 * column and then averaged over the columns (scikit-learn's `r2_score` with its
 * default `'uniform_average'`). 1 is a perfect fit, 0 is no better than
 * predicting each column's mean, and it is negative for worse. A column whose
 * targets are all equal scores 1 when predicted exactly and 0 otherwise, as
 * scikit-learn scores it, rather than dividing by zero.
 *
 * @param predicted - The network's outputs, `[n, outputs]`.
 * @param target - The targets, same shape.
 * @returns R² (NaN for n = 0).
 * @throws {@link ShapeError} if the shapes differ.
 * @example
 * ```ts
 * import { Tensor, r2Score } from 'tinydense';
 * r2Score(Tensor.from([[1], [2], [3]]), Tensor.from([[1], [2], [4]])); // 1 − 1/4.67 ≈ 0.786
 * ```
 */
export function r2Score(predicted: Tensor, target: Tensor): number {
  const [p, y] = values(predicted, target, 'r2Score');
  const [n, cols] = target.shape;
  if (n === 0) return NaN;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let i = c; i < y.length; i += cols) mean += y[i] as number;
    mean /= n;
    let residual = 0;
    let spread = 0;
    for (let i = c; i < y.length; i += cols) {
      const e = (y[i] as number) - (p[i] as number);
      const d = (y[i] as number) - mean;
      residual += e * e;
      spread += d * d;
    }
    total += spread > 0 ? 1 - residual / spread : residual === 0 ? 1 : 0;
  }
  return total / cols;
}

/**
 * Whether targets are class labels: one-hot rows (one 1, the rest 0) for
 * several outputs, or 0s and 1s for a single output. `evaluate` reports accuracy
 * for these and regression figures for anything else.
 *
 * @param target - The targets, `[n, outputs]`.
 * @returns True for class labels (and for no rows).
 */
export function isClassLabels(target: Tensor): boolean {
  const [n, cols] = target.shape;
  const y = target.data;
  for (let r = 0; r < n; r++) {
    let ones = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const v = y[i] as number;
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    if (cols > 1 && ones !== 1) return false;
  }
  return true;
}

function values(predicted: Tensor, target: Tensor, where: string): [Tensor['data'], Tensor['data']] {
  if (predicted.shape[0] !== target.shape[0] || predicted.shape[1] !== target.shape[1]) {
    throw new ShapeError(`${where}: predicted is ${formatShape(predicted.shape)} but targets are ${formatShape(target.shape)}`);
  }
  return [predicted.data, target.data];
}
