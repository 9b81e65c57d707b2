/**
 * `Softmax`: turns each row of scores into probabilities.
 *
 * @module
 */
import { ShapeError } from '../errors.js';
import type { Layer, LayerSpec, Parameter } from '../layers/layer.js';
import { reuse, type Tensor } from '../tensor.js';
import { checkSameShape } from './activation.js';

/**
 * Row-wise softmax, **aᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)** for each sample (row).
 *
 * Computed as e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z), which is the same value but
 * never overflows: finite for logits up to ±1e4 and beyond.
 *
 * Backward is the Jacobian-vector product ∂C/∂zᵢ = aᵢ (gᵢ − Σⱼ gⱼ aⱼ), g = ∂C/∂a.
 * Paired with {@link CategoricalCrossEntropyLoss}, `Sequential` skips both and
 * uses the fused, stable ∂C/∂z = (a − y)/m instead.
 *
 * @example
 * ```ts
 * import { Softmax, Tensor } from 'tinydense';
 * new Softmax().forward(Tensor.from([[1000, 1000]])).toArray(); // [[0.5, 0.5]]
 * ```
 */
export class Softmax implements Layer {
  /** `'Softmax'`. */
  readonly name = 'Softmax';

  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;

  /**
   * Softmax keeps the width.
   *
   * @param inputWidth - The input width.
   * @returns The same width.
   */
  outputWidth(inputWidth: number): number {
    return inputWidth;
  }

  /**
   * Applies softmax to each row.
   *
   * @param z - Scores (logits), shape `[batch, classes]`.
   * @returns Probabilities, same shape, each row summing to 1 (a reused buffer).
   */
  forward(z: Tensor): Tensor {
    const [rows, cols] = z.shape;
    const out = (this.output = reuse(this.output, rows, cols, z.dtype));
    const zd = z.data;
    const a = out.data;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if ((zd[o + c] as number) > max) max = zd[o + c] as number;
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp((zd[o + c] as number) - max);
        a[o + c] = e;
        sum += e;
      }
      for (let c = 0; c < cols; c++) a[o + c] = (a[o + c] as number) / sum;
    }
    return out;
  }

  /**
   * The Jacobian-vector product ∂C/∂zᵢ = aᵢ (gᵢ − Σⱼ gⱼ aⱼ).
   *
   * @param outputGrad - g = ∂C/∂a, shape `[batch, classes]`.
   * @returns ∂C/∂z, same shape (a reused buffer).
   * @throws {@link ShapeError} if called before `forward` or with another shape.
   */
  backward(outputGrad: Tensor): Tensor {
    const a = this.output;
    if (a === undefined) throw new ShapeError(`${this.name}.backward: called before forward`);
    checkSameShape(this.name, a, outputGrad);
    const [rows, cols] = a.shape;
    const dz = (this.inputGrad = reuse(this.inputGrad, rows, cols, a.dtype));
    const g = outputGrad.data;
    const ad = a.data;
    const out = dz.data;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += (g[o + c] as number) * (ad[o + c] as number);
      for (let c = 0; c < cols; c++) out[o + c] = (ad[o + c] as number) * ((g[o + c] as number) - dot);
    }
    return dz;
  }

  /**
   * Softmax has no parameters.
   *
   * @returns An empty list.
   */
  parameters(): Parameter[] {
    return [];
  }

  /**
   * `{ kind: 'softmax' }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'softmax' };
  }
}
