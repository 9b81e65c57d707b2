/**
 * The `Loss` contract and the helpers the built-in losses share.
 *
 * @module
 */
import { DataError, ShapeError, formatShape } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { reuse, type Tensor } from '../tensor.js';

/**
 * A cost function C over a batch. Convention: every loss is the **mean** over the
 * m samples of the batch, C = (1/m) Σₓ Cₓ, so its gradient carries the 1/m and
 * plain SGD at learning rate η makes exactly the book's update w − (η/m) Σₓ ∇Cₓ.
 *
 * A loss may also offer a fused gradient ∂C/∂z through the output layer (for
 * softmax + categorical cross-entropy and sigmoid + cross-entropy, both a − y):
 * `Sequential` uses it when `fusedWith(lastLayer)` is true, and skips that
 * layer's `backward`.
 *
 * @example
 * ```ts
 * import { QuadraticLoss, Tensor } from 'tinydense';
 * const loss = new QuadraticLoss();
 * loss.value(Tensor.from([[1, 0]]), Tensor.from([[0, 0]])); // 0.5
 * ```
 */
export interface Loss {
  /** The loss' name, e.g. `'quadratic'`. */
  readonly name: string;
  /**
   * The mean loss over the batch.
   *
   * @param predicted - The network's output a, shape `[batch, outputs]`.
   * @param target - The desired output y, same shape.
   * @returns C = (1/m) Σₓ Cₓ.
   */
  value(predicted: Tensor, target: Tensor): number;
  /**
   * ∂C/∂a of the mean loss.
   *
   * @param predicted - a, shape `[batch, outputs]`.
   * @param target - y, same shape.
   * @returns ∂C/∂a, same shape (may be a buffer reused by the next call).
   */
  gradient(predicted: Tensor, target: Tensor): Tensor;
  /**
   * Whether {@link Loss.fusedGradient} applies after this output layer.
   *
   * @param outputLayer - The network's last layer.
   * @returns True when the fused gradient is valid for that layer.
   */
  fusedWith?(outputLayer: Layer): boolean;
  /**
   * ∂C/∂z through the output layer in one stable step (only when `fusedWith` is true).
   *
   * @param predicted - a, the output layer's output.
   * @param target - y.
   * @returns ∂C/∂z, same shape (may be a reused buffer).
   */
  fusedGradient?(predicted: Tensor, target: Tensor): Tensor;
  /**
   * Checks that targets are in the loss' domain (e.g. probabilities in [0, 1] for
   * cross-entropies), before training starts.
   *
   * @param target - The targets.
   * @param where - The caller and what the tensor is, for the message.
   * @throws {@link DataError} naming the first bad row and column.
   */
  validateTarget?(target: Tensor, where: string): void;
}

/**
 * Throws unless every target lies in [0, 1]: the domain of both cross-entropies.
 *
 * @param target - The targets.
 * @param where - The caller and what the tensor is.
 * @throws {@link DataError} naming the first value outside [0, 1].
 */
export function checkProbabilities(target: Tensor, where: string): void {
  const d = target.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (!(v >= 0 && v <= 1)) {
      const cols = target.shape[1];
      throw new DataError(`${where}: value ${v} at row ${Math.floor(i / cols)}, column ${i % cols} is outside [0, 1]; cross-entropy targets are probabilities (use oneHot for labels)`);
    }
  }
}

/**
 * Throws unless predicted and target have the same shape.
 *
 * @param where - The loss and method, for the message.
 * @param predicted - a.
 * @param target - y.
 * @throws {@link ShapeError} on a mismatch.
 */
export function checkPair(where: string, predicted: Tensor, target: Tensor): void {
  if (predicted.shape[0] !== target.shape[0] || predicted.shape[1] !== target.shape[1]) {
    throw new ShapeError(`${where}: predicted is ${formatShape(predicted.shape)} but target is ${formatShape(target.shape)}`);
  }
}

/**
 * (a − y)/m into a reused buffer: the quadratic cost's gradient, and the fused
 * ∂C/∂z of both cross-entropies with their matching output layer.
 *
 * @param predicted - a, shape `[m, outputs]`.
 * @param target - y, same shape.
 * @param buffer - The buffer kept from the previous call, if any.
 * @returns (a − y)/m.
 */
export function differenceOverBatch(predicted: Tensor, target: Tensor, buffer: Tensor | undefined): Tensor {
  const [rows, cols] = predicted.shape;
  const out = reuse(buffer, rows, cols, predicted.dtype);
  const a = predicted.data;
  const y = target.data;
  const g = out.data;
  const scale = 1 / rows;
  for (let i = 0; i < g.length; i++) g[i] = ((a[i] as number) - (y[i] as number)) * scale;
  return out;
}

/** Probabilities are clamped to [ε, 1 − ε] inside logarithms and divisions, so losses stay finite at a = 0 or 1. */
export const PROBABILITY_EPSILON = 1e-12;

/**
 * `p` clamped to [ε, 1 − ε], ε = {@link PROBABILITY_EPSILON}.
 *
 * @param p - A probability.
 * @returns The clamped value.
 */
export function clampProbability(p: number): number {
  return p < PROBABILITY_EPSILON ? PROBABILITY_EPSILON : p > 1 - PROBABILITY_EPSILON ? 1 - PROBABILITY_EPSILON : p;
}
