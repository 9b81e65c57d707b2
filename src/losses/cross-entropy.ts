/**
 * `CrossEntropyLoss`: the book's chapter 3 cross-entropy, for sigmoid outputs.
 *
 * @module
 */
import { Sigmoid } from '../activations/sigmoid.js';
import type { Layer } from '../layers/layer.js';
import { reuse, type Tensor } from '../tensor.js';
import { checkPair, checkProbabilities, clampProbability, differenceOverBatch, type Loss } from './loss.js';

/**
 * The cross-entropy cost of the book's chapter 3, for outputs in (0, 1) such as
 * sigmoid neurons: **C = −(1/m) Σₓ Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]**, with
 * ∂C/∂aⱼ = (aⱼ − yⱼ) / (aⱼ(1 − aⱼ)) / m.
 *
 * After a {@link Sigmoid} output layer, `Sequential` uses the fused
 * ∂C/∂z = (a − y)/m: the book's δᴸ = a − y (eq. 66), in which σ′ cancels and
 * learning does not slow down when a neuron saturates. a is clamped to
 * [1e−12, 1 − 1e−12] inside logarithms and divisions, so the value and
 * gradient are finite even at a = 0 or 1.
 *
 * @example
 * ```ts
 * import { CrossEntropyLoss, Tensor } from 'tinydense';
 * new CrossEntropyLoss().value(Tensor.from([[0.5]]), Tensor.from([[1]])); // ln 2 ≈ 0.693
 * ```
 */
export class CrossEntropyLoss implements Loss {
  /** `'cross-entropy'`. */
  readonly name = 'cross-entropy';
  private buffer: Tensor | undefined;

  /**
   * C = −(1/m) Σₓ Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)].
   *
   * @param predicted - a, shape `[m, outputs]`, values in [0, 1].
   * @param target - y, same shape, values in [0, 1].
   * @returns The mean cost.
   * @throws {@link ShapeError} if the shapes differ.
   */
  value(predicted: Tensor, target: Tensor): number {
    checkPair('CrossEntropyLoss.value', predicted, target);
    const a = predicted.data;
    const y = target.data;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const p = clampProbability(a[i] as number);
      const t = y[i] as number;
      sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
    }
    return sum / predicted.shape[0];
  }

  /**
   * ∂C/∂a = (a − y) / (a(1 − a)) / m.
   *
   * @param predicted - a, shape `[m, outputs]`.
   * @param target - y, same shape.
   * @returns The gradient (a reused buffer).
   * @throws {@link ShapeError} if the shapes differ.
   */
  gradient(predicted: Tensor, target: Tensor): Tensor {
    checkPair('CrossEntropyLoss.gradient', predicted, target);
    const [rows, cols] = predicted.shape;
    const out = (this.buffer = reuse(this.buffer, rows, cols, predicted.dtype));
    const a = predicted.data;
    const y = target.data;
    const g = out.data;
    for (let i = 0; i < g.length; i++) {
      const p = clampProbability(a[i] as number);
      g[i] = (p - (y[i] as number)) / (p * (1 - p) * rows);
    }
    return out;
  }

  /**
   * True after a {@link Sigmoid} layer.
   *
   * @param outputLayer - The network's last layer.
   * @returns Whether the fused gradient applies.
   */
  fusedWith(outputLayer: Layer): boolean {
    return outputLayer instanceof Sigmoid;
  }

  /**
   * The book's δᴸ = (a − y)/m, ∂C/∂z through the sigmoid.
   *
   * @param predicted - a = σ(z).
   * @param target - y.
   * @returns ∂C/∂z (a reused buffer).
   * @throws {@link ShapeError} if the shapes differ.
   */
  fusedGradient(predicted: Tensor, target: Tensor): Tensor {
    checkPair('CrossEntropyLoss.fusedGradient', predicted, target);
    return (this.buffer = differenceOverBatch(predicted, target, this.buffer));
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
