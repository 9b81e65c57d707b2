/**
 * `oneHot`: class labels to target rows.
 *
 * @module
 */
import { DataError, OptionError, describe } from './errors.js';
import { Tensor, type DType } from './tensor.js';

/**
 * One-hot encodes class labels: row i is all zeros but a 1 in column `labels[i]`,
 * the book's vectorized_result for a whole set at once.
 *
 * @param labels - Class indices, integers in `[0, classes)`.
 * @param classes - The number of classes.
 * @param dtype - `'float32'` (default) or `'float64'`.
 * @returns A tensor of shape `[labels.length, classes]`.
 * @throws {@link OptionError} if `classes` is not a positive integer. {@link DataError} if a label is out of range.
 * @example
 * ```ts
 * import { oneHot } from 'tinydense';
 * oneHot([2, 0], 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(labels: ArrayLike<number>, classes: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(classes) || classes < 1) throw new OptionError(`oneHot: classes must be a positive integer, got ${describe(classes)}`);
  const out = Tensor.zeros([labels.length, classes], dtype);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataError(`oneHot: label ${describe(label)} at index ${i} is outside [0, ${classes})`);
    }
    out.data[i * classes + label] = 1;
  }
  return out;
}
