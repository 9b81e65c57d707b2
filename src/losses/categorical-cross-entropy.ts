/**
 * `CategoricalCrossEntropyLoss`: cross-entropy for softmax outputs.
 *
 * @module
 */
import { Softmax } from '../activations/softmax.js';
import type { Layer } from '../layers/layer.js';
import { reuse, type Tensor } from '../tensor.js';
import { checkPair, checkProbabilities, clampProbability, type Loss } from './loss.js';

/**
 * Categorical cross-entropy (the book's log-likelihood cost, chapter 3) for
 * probability rows such as softmax outputs and one-hot targets:
 * **C = −(1/m) Σₓ Σⱼ yⱼ ln aⱼ**, with ∂C/∂aⱼ = −yⱼ / (aⱼ m).
 *
 * After a {@link Softmax} output layer, `Sequential` uses the fused, stable
 * ∂C/∂zᵢ = (aᵢ Σⱼ yⱼ − yᵢ)/m, which is a − y for one-hot (or any normalised)
 * targets, instead of dividing by a tiny aⱼ and multiplying back through the
 * softmax Jacobian. a is clamped
 * to [1e−12, 1 − 1e−12], so the value and gradient stay finite at a = 0.
 *
 * @example
 * ```ts
 * import { CategoricalCrossEntropyLoss, Tensor } from 'tinydense';
 * new CategoricalCrossEntropyLoss().value(Tensor.from([[0.25, 0.75]]), Tensor.from([[0, 1]])); // −ln 0.75 ≈ 0.288
 * ```
 */
export class CategoricalCrossEntropyLoss implements Loss {
  /** `'categorical-cross-entropy'`. */
  readonly name = 'categorical-cross-entropy';
  private buffer: Tensor | undefined;

  /**
   * C = −(1/m) Σₓ Σⱼ yⱼ ln aⱼ.
   *
   * @param predicted - a, shape `[m, classes]`, rows of probabilities.
   * @param target - y, same shape, usually one-hot rows.
   * @returns The mean cost.
   * @throws {@link ShapeError} if the shapes differ.
   */
  value(predicted: Tensor, target: Tensor): number {
    checkPair('CategoricalCrossEntropyLoss.value', predicted, target);
    const a = predicted.data;
    const y = target.data;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const t = y[i] as number;
      // 0 · ln a = 0 even where a = 0: skip, rather than clamp, the terms that cannot count.
      if (t !== 0) sum -= t * Math.log(clampProbability(a[i] as number));
    }
    return sum / predicted.shape[0];
  }

  /**
   * ∂C/∂a = −y / (a m).
   *
   * @param predicted - a, shape `[m, classes]`.
   * @param target - y, same shape.
   * @returns The gradient (a reused buffer).
   * @throws {@link ShapeError} if the shapes differ.
   */
  gradient(predicted: Tensor, target: Tensor): Tensor {
    checkPair('CategoricalCrossEntropyLoss.gradient', predicted, target);
    const [rows, cols] = predicted.shape;
    const out = (this.buffer = reuse(this.buffer, rows, cols, predicted.dtype));
    const a = predicted.data;
    const y = target.data;
    const g = out.data;
    for (let i = 0; i < g.length; i++) g[i] = -(y[i] as number) / (clampProbability(a[i] as number) * rows);
    return out;
  }

  /**
   * True after a {@link Softmax} layer.
   *
   * @param outputLayer - The network's last layer.
   * @returns Whether the fused gradient applies.
   */
  fusedWith(outputLayer: Layer): boolean {
    return outputLayer instanceof Softmax;
  }

  /**
   * ∂C/∂zᵢ = (aᵢ Σⱼ yⱼ − yᵢ)/m through the softmax: (a − y)/m for one-hot targets.
   *
   * @param predicted - a = softmax(z).
   * @param target - y.
   * @returns ∂C/∂z (a reused buffer).
   * @throws {@link ShapeError} if the shapes differ.
   */
  fusedGradient(predicted: Tensor, target: Tensor): Tensor {
    checkPair('CategoricalCrossEntropyLoss.fusedGradient', predicted, target);
    const [rows, cols] = predicted.shape;
    const out = (this.buffer = reuse(this.buffer, rows, cols, predicted.dtype));
    const a = predicted.data;
    const y = target.data;
    const g = out.data;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let targetSum = 0;
      for (let c = 0; c < cols; c++) targetSum += y[o + c] as number;
      // −∂/∂zᵢ Σⱼ yⱼ ln softmax(z)ⱼ = aᵢ Σⱼ yⱼ − yᵢ
      for (let c = 0; c < cols; c++) g[o + c] = ((a[o + c] as number) * targetSum - (y[o + c] as number)) / rows;
    }
    return out;
  }

  /**
   * Checks that targets are probabilities, in [0, 1].
   *
   * @param target - The targets.
   * @param where - The caller, for the message.
   * @throws {@link DataError} naming the first value outside [0, 1].
   */
  validateTarget(target: Tensor, where: string): void {
    checkProbabilities(target, where);
  }
}
