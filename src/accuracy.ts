/**
 * `accuracy`: the fraction of samples classified correctly.
 *
 * @module
 */
import { ShapeError, formatShape } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * The fraction of rows whose predicted class matches the label.
 *
 * The predicted class of a row is its argmax. Labels are either class indices
 * (one per row) or a target tensor of the same shape, whose argmax is the label.
 * A single-output network (a binary classifier) is judged by the threshold 0.5
 * instead: correct when a ≥ 0.5 exactly when y ≥ 0.5.
 *
 * @param predicted - The network's outputs, shape `[n, classes]`.
 * @param labels - `n` class indices, or targets of shape `[n, classes]`.
 * @returns A number in [0, 1] (0 for n = 0).
 * @throws {@link ShapeError} if the counts or shapes disagree.
 * @example
 * ```ts
 * import { Tensor, accuracy } from 'tinydense';
 * accuracy(Tensor.from([[0.1, 0.9], [0.8, 0.2]]), [1, 1]); // 0.5
 * ```
 */
export function accuracy(predicted: Tensor, labels: Tensor | ArrayLike<number>): number {
  const [n, classes] = predicted.shape;
  if (labels instanceof Tensor) {
    if (labels.shape[0] !== n || labels.shape[1] !== classes) {
      throw new ShapeError(`accuracy: predicted is ${formatShape(predicted.shape)} but targets are ${formatShape(labels.shape)}`);
    }
    if (classes === 1) {
      let correct = 0;
      for (let i = 0; i < n; i++) if ((predicted.data[i] as number) >= 0.5 === (labels.data[i] as number) >= 0.5) correct++;
      return n === 0 ? 0 : correct / n;
    }
    return agreement(predicted.argmaxRows(), labels.argmaxRows());
  }
  if (labels.length !== n) throw new ShapeError(`accuracy: predicted has ${n} rows but there are ${labels.length} labels`);
  return agreement(predicted.argmaxRows(), labels);
}

function agreement(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
  return predicted.length === 0 ? 0 : correct / predicted.length;
}
