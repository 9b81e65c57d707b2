/**
 * `Dropout`: inverted dropout while training, nothing at inference.
 *
 * @module
 */
import { checkSameShape } from '../activations/activation.js';
import { ShapeError } from '../errors.js';
import { checkOption } from '../optimizers/optimizer.js';
import type { Rng } from '../rng.js';
import { reuse, type Tensor } from '../tensor.js';
import type { Layer, LayerSpec, Parameter } from './layer.js';

/**
 * Inverted dropout (the book's chapter 3, Srivastava et al. 2014): while
 * training, each value is kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), or set to 0; in `predict`, `evaluate` and `gradients` the layer
 * passes its input through unchanged, so the expected value is the same in both.
 *
 * The keep/drop draws come from the model's seeded RNG (the one `Sequential`
 * hands to `initialize`), one per value in row-major order, after the epoch's
 * shuffle: a run is bit-identical for a seed, and resumes bit-identically from
 * a checkpoint, which saves the RNG's state.
 *
 * Backward multiplies ∂C/∂a by the same mask: dropped neurons pass no gradient.
 *
 * @example
 * ```ts
 * import { Dense, Dropout, ReLU, Sequential, Softmax } from 'tinydense';
 * const model = new Sequential([new Dense(784, 100), new ReLU(), new Dropout(0.5), new Dense(100, 10), new Softmax()]);
 * ```
 */
export class Dropout implements Layer {
  /** The probability that a value is dropped while training, in [0, 1). */
  readonly rate: number;
  /** E.g. `'Dropout(0.5)'`. */
  readonly name: string;

  private rng: Rng | undefined;
  /** 1/(1 − rate) where a value was kept in the last training forward, 0 where dropped; `undefined` after an inference forward. */
  private mask: Tensor | undefined;
  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;
  /** The input of the last forward: its shape checks backward. */
  private input: Tensor | undefined;
  private training = false;

  /**
   * @param rate - The probability of dropping each value while training, a number in [0, 1).
   * @throws {@link OptionError} if the rate is outside [0, 1).
   */
  constructor(rate: number) {
    this.rate = checkOption('Dropout', 'rate', rate, 0, 1, false);
    this.name = `Dropout(${this.rate})`;
  }

  /**
   * Dropout keeps the width.
   *
   * @param inputWidth - The input width.
   * @returns The same width.
   */
  outputWidth(inputWidth: number): number {
    return inputWidth;
  }

  /**
   * Keeps the RNG that will draw the masks (the model's; `Sequential` passes it).
   *
   * @param rng - The random source of the masks (the masks take the input's dtype).
   */
  initialize(rng: Rng): void {
    this.rng = rng;
  }

  /**
   * While training, a = x ⊙ mask with mask values 1/(1 − rate) (kept) or 0
   * (dropped); otherwise a = x.
   *
   * @param x - Shape `[batch, width]`.
   * @param training - True in the training loop (see {@link Layer.forward}).
   * @returns a: x itself when not training, else a buffer reused by the next call.
   * @throws {@link ShapeError} when training before `initialize` gave the layer an RNG.
   */
  forward(x: Tensor, training = false): Tensor {
    this.input = x;
    this.training = training && this.rate > 0;
    if (!this.training) return x;
    const rng = this.rng;
    if (rng === undefined) throw new ShapeError(`${this.name}: not initialised; add it to a Sequential or call initialize(rng, dtype) first`);
    const [rows, cols] = x.shape;
    const mask = (this.mask = reuse(this.mask, rows, cols, x.dtype)).data;
    const out = (this.output = reuse(this.output, rows, cols, x.dtype)).data;
    const xd = x.data;
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    for (let i = 0; i < xd.length; i++) {
      mask[i] = rng.uniform() < keep ? scale : 0;
      out[i] = (xd[i] as number) * (mask[i] as number);
    }
    return this.output;
  }

  /**
   * ∂C/∂x = ∂C/∂a ⊙ mask after a training forward; ∂C/∂a itself otherwise.
   *
   * @param outputGrad - ∂C/∂a, shape `[batch, width]`.
   * @returns ∂C/∂x (a buffer reused by the next call, or `outputGrad` itself).
   * @throws {@link ShapeError} if called before `forward` or with another shape.
   */
  backward(outputGrad: Tensor): Tensor {
    const x = this.input;
    if (x === undefined) throw new ShapeError(`${this.name}.backward: called before forward`);
    checkSameShape(this.name, x, outputGrad);
    if (!this.training) return outputGrad;
    const [rows, cols] = x.shape;
    const dx = (this.inputGrad = reuse(this.inputGrad, rows, cols, x.dtype));
    const g = outputGrad.data;
    const mask = (this.mask as Tensor).data;
    const out = dx.data;
    for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * (mask[i] as number);
    return dx;
  }

  /**
   * Dropout has no parameters.
   *
   * @returns An empty list.
   */
  parameters(): Parameter[] {
    return [];
  }

  /**
   * `{ kind: 'dropout', config: { rate } }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'dropout', config: { rate: this.rate } };
  }
}
