/**
 * `LeakyReLU`: z for z > 0, αz below.
 *
 * @module
 */
import type { LayerSpec } from '../layers/layer.js';
import { checkOption } from '../optimizers/optimizer.js';
import { Activation } from './activation.js';

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** The slope α for z ≤ 0, a finite number ≥ 0 (default 0.01, as in PyTorch and ONNX; Keras and TF.js default to 0.3). */
  readonly alpha?: number;
}

/**
 * The leaky rectified linear unit, **LeakyReLU(z) = z for z > 0, αz otherwise**,
 * with derivative 1 for z > 0 and α otherwise (α at the kink z = 0, as in
 * PyTorch). Unlike ReLU, a neuron whose z stays negative still learns.
 *
 * @example
 * ```ts
 * import { LeakyReLU, Tensor } from 'tinydense';
 * new LeakyReLU({ alpha: 0.1 }).forward(Tensor.from([[-2, 0, 3]], 'float64')).toArray(); // [[-0.2, 0, 3]]
 * ```
 */
export class LeakyReLU extends Activation {
  /** The slope α for z ≤ 0. */
  readonly alpha: number;
  /** E.g. `'LeakyReLU(0.01)'`. */
  readonly name: string;

  /**
   * @param options - `{ alpha }`, see {@link LeakyReLUOptions}.
   * @throws {@link OptionError} if α is not a finite number ≥ 0.
   */
  constructor(options: LeakyReLUOptions = {}) {
    super();
    this.alpha = checkOption('LeakyReLU', 'alpha', options.alpha ?? 0.01, 0);
    this.name = `LeakyReLU(${this.alpha})`;
  }

  /**
   * z for z > 0, αz otherwise.
   *
   * @param z - The pre-activation.
   * @returns LeakyReLU(z).
   */
  f(z: number): number {
    return z > 0 ? z : this.alpha * z;
  }

  /**
   * 1 for z > 0, α otherwise.
   *
   * @param z - The pre-activation.
   * @returns The derivative.
   */
  derivative(z: number): number {
    return z > 0 ? 1 : this.alpha;
  }

  /**
   * `{ kind: 'leaky-relu', config: { alpha } }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'leaky-relu', config: { alpha: this.alpha } };
  }
}
