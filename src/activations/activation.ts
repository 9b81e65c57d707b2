/**
 * `Activation`: the base of element-wise activation layers.
 *
 * @module
 */
import { ShapeError, formatShape } from '../errors.js';
import type { Layer, Parameter } from '../layers/layer.js';
import { reuse, type Tensor, type TensorData } from '../tensor.js';

/**
 * The base of element-wise activations a = f(z): a layer without parameters
 * whose backward pass is the book's BP2 factor, ∂C/∂z = ∂C/∂a ⊙ f′(z).
 *
 * Subclass it to add your own: implement `f` and `derivative`, give it a `name`.
 * Numerical stability is the subclass' job: `f` must stay finite for every
 * finite input.
 *
 * @example
 * ```ts
 * import { Activation } from 'tinydense';
 * class Softplus extends Activation {
 *   readonly name = 'Softplus';
 *   f(z: number): number { return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)); }
 *   derivative(z: number): number { return 1 / (1 + Math.exp(-z)); }
 * }
 * ```
 */
export abstract class Activation implements Layer {
  /** The activation's name, e.g. `Sigmoid`. */
  abstract readonly name: string;

  private input: Tensor | undefined;
  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;

  /**
   * The activation function.
   *
   * @param z - A pre-activation value.
   * @returns f(z).
   */
  abstract f(z: number): number;

  /**
   * The derivative f′(z). Both z and a = f(z) are given, since f′ is often
   * cheapest from a (σ′ = a(1 − a), tanh′ = 1 − a²).
   *
   * @param z - The pre-activation value.
   * @param a - f(z), as computed by `forward`.
   * @returns f′(z).
   */
  abstract derivative(z: number, a: number): number;

  /**
   * Element-wise activations keep the width.
   *
   * @param inputWidth - The input width.
   * @returns The same width.
   */
  outputWidth(inputWidth: number): number {
    return inputWidth;
  }

  /**
   * a = f(z), element by element.
   *
   * @param z - Pre-activations, shape `[batch, width]`.
   * @returns a, same shape (a buffer reused by the next call).
   */
  forward(z: Tensor): Tensor {
    const [rows, cols] = z.shape;
    const out = (this.output = reuse(this.output, rows, cols, z.dtype));
    this.apply(z.data, out.data);
    this.input = z;
    return out;
  }

  /**
   * Writes f(z[i]) into a[i] for every element (forward's loop). A subclass may
   * override it with a backend operation that gives the same values, as `Sigmoid` does.
   *
   * @param z - Pre-activations.
   * @param a - Receives f(z), same length and type.
   */
  protected apply(z: TensorData, a: TensorData): void {
    for (let i = 0; i < z.length; i++) a[i] = this.f(z[i] as number);
  }

  /**
   * BP2's element-wise factor: ∂C/∂z = ∂C/∂a ⊙ f′(z).
   *
   * @param outputGrad - ∂C/∂a, shape `[batch, width]`.
   * @returns ∂C/∂z, same shape (a buffer reused by the next call).
   * @throws {@link ShapeError} if called before `forward` or with another shape.
   */
  backward(outputGrad: Tensor): Tensor {
    const z = this.input;
    const a = this.output;
    if (z === undefined || a === undefined) throw new ShapeError(`${this.name}.backward: called before forward`);
    checkSameShape(this.name, a, outputGrad);
    const [rows, cols] = z.shape;
    const dz = (this.inputGrad = reuse(this.inputGrad, rows, cols, z.dtype));
    const g = outputGrad.data;
    const zd = z.data;
    const ad = a.data;
    const out = dz.data;
    for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * this.derivative(zd[i] as number, ad[i] as number);
    return dz;
  }

  /**
   * Activations have no parameters.
   *
   * @returns An empty list.
   */
  parameters(): Parameter[] {
    return [];
  }
}

/**
 * Throws unless `outputGrad` has the shape and dtype of the forward output.
 *
 * @param name - The layer, for the message.
 * @param output - What `forward` returned.
 * @param outputGrad - What `backward` received.
 * @throws {@link ShapeError} on a mismatch.
 */
export function checkSameShape(name: string, output: Tensor, outputGrad: Tensor): void {
  if (outputGrad.shape[0] !== output.shape[0] || outputGrad.shape[1] !== output.shape[1] || outputGrad.dtype !== output.dtype) {
    throw new ShapeError(
      `${name}.backward: expected ${output.dtype} ${formatShape(output.shape)}, got ${outputGrad.dtype} ${formatShape(outputGrad.shape)}`,
    );
  }
}

