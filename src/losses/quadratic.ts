/**
 * `QuadraticLoss`: the book's quadratic cost.
 *
 * @module
 */
import type { Tensor } from '../tensor.js';
import { checkPair, differenceOverBatch, type Loss } from './loss.js';

/**
 * The quadratic (mean squared error) cost of the book's chapter 1:
 * **C = (1/m) Σₓ ½‖a − y‖²**, with ∂C/∂a = (a − y)/m.
 *
 * Note the ½ and the sum over outputs: this is the book's convention, not
 * PyTorch's `MSELoss` (which averages over outputs too and has no ½).
 *
 * @example
 * ```ts
 * import { QuadraticLoss, Tensor } from 'tinydense';
 * new QuadraticLoss().value(Tensor.from([[1, 1]]), Tensor.from([[0, 0]])); // 1
 * ```
 */
export class QuadraticLoss implements Loss {
  /** `'quadratic'`. */
  readonly name = 'quadratic';
  private buffer: Tensor | undefined;

  /**
   * C = (1/m) Σₓ ½‖a − y‖².
   *
   * @param predicted - a, shape `[m, outputs]`.
   * @param target - y, same shape.
   * @returns The mean cost.
   * @throws {@link ShapeError} if the shapes differ.
   */
  value(predicted: Tensor, target: Tensor): number {
    checkPair('QuadraticLoss.value', predicted, target);
    const a = predicted.data;
    const y = target.data;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const d = (a[i] as number) - (y[i] as number);
      sum += d * d;
    }
    return (0.5 * sum) / predicted.shape[0];
  }

  /**
   * ∂C/∂a = (a − y)/m.
   *
   * @param predicted - a, shape `[m, outputs]`.
   * @param target - y, same shape.
   * @returns The gradient (a reused buffer).
   * @throws {@link ShapeError} if the shapes differ.
   */
  gradient(predicted: Tensor, target: Tensor): Tensor {
    checkPair('QuadraticLoss.gradient', predicted, target);
    return (this.buffer = differenceOverBatch(predicted, target, this.buffer));
  }
}
