/**
 * `confusionMatrix`: where a classifier's mistakes go.
 *
 * @module
 */
import { DataError, OptionError, ShapeError, describe } from './errors.js';
import type { Tensor } from './tensor.js';

/** The result of {@link confusionMatrix}. */
export interface ConfusionMatrix {
  /** `matrix[actual][predicted]`: how many samples of class `actual` were predicted as `predicted`. */
  readonly matrix: number[][];
  /** For each class, the fraction of its samples predicted correctly (NaN for a class with no samples). */
  readonly perClassAccuracy: number[];
  /** The overall fraction predicted correctly. */
  readonly accuracy: number;
}

/**
 * Counts, for each actual class, how its samples were classified (by argmax).
 *
 * @param predicted - The network's outputs, shape `[n, classes]`.
 * @param labels - The `n` actual class indices.
 * @param classes - The number of classes (default: the outputs' width).
 * @returns The matrix (rows actual, columns predicted), per-class and overall accuracy.
 * @throws {@link ShapeError} if the counts differ; {@link DataError} for a label out of range.
 * @example
 * ```ts
 * import { Tensor, confusionMatrix } from 'tinydense';
 * const { matrix, perClassAccuracy } = confusionMatrix(Tensor.from([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]]), [0, 1, 1]);
 * matrix;           // [[1, 0], [1, 1]]
 * perClassAccuracy; // [1, 0.5]
 * ```
 */
export function confusionMatrix(predicted: Tensor, labels: ArrayLike<number>, classes: number = predicted.shape[1]): ConfusionMatrix {
  if (!Number.isInteger(classes) || classes < 1) throw new OptionError(`confusionMatrix: classes must be a positive integer, got ${describe(classes)}`);
  const n = predicted.shape[0];
  if (labels.length !== n) throw new ShapeError(`confusionMatrix: predicted has ${n} rows but there are ${labels.length} labels`);
  const guesses = predicted.argmaxRows();
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const actual = labels[i] as number;
    if (!Number.isInteger(actual) || actual < 0 || actual >= classes) throw new DataError(`confusionMatrix: label ${describe(actual)} at index ${i} is outside [0, ${classes})`);
    const guess = guesses[i] as number;
    if (guess >= classes) throw new DataError(`confusionMatrix: row ${i} predicts class ${guess}, outside [0, ${classes})`);
    (matrix[actual] as number[])[guess]++;
    if (guess === actual) correct++;
  }
  const perClassAccuracy = matrix.map((row, c) => (row[c] as number) / row.reduce((a, b) => a + b, 0));
  return { matrix, perClassAccuracy, accuracy: n === 0 ? 0 : correct / n };
}
