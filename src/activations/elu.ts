/**
 * `ELU`: z for z > 0, α(e^z − 1) below.
 *
 * @module
 */
import { OptionError } from '../errors.js';
import type { LayerSpec } from '../layers/layer.js';
import { checkOption } from '../optimizers/optimizer.js';
import { Activation } from './activation.js';

/** Options of {@link ELU}. */
export interface ELUOptions {
  /** The scale α of the negative part (ELU tends to −α as z → −∞), a finite number > 0 (default 1, as in Keras, PyTorch and ONNX). */
  readonly alpha?: number;
}

/**
 * The exponential linear unit (Clevert et al., 2015), **ELU(z) = z for z > 0,
 * α(e^z − 1) otherwise**, with derivative 1 for z > 0 and α·e^z otherwise. Smooth for α = 1, and its mean output is closer to zero than ReLU's.
 * `Math.expm1` keeps α(e^z − 1) accurate for small |z|.
 *
 * @example
 * ```ts
 * import { ELU, Tensor } from 'tinydense';
 * new ELU().forward(Tensor.from([[-1e4, 0, 3]], 'float64')).toArray(); // [[-1, 0, 3]]
 * ```
 */
export class ELU extends Activation {
  /** The scale α of the negative part. */
  readonly alpha: number;
  /** E.g. `'ELU(1)'`. */
  readonly name: string;

  /**
   * @param options - `{ alpha }`, see {@link ELUOptions}.
   * @throws {@link OptionError} if α is not a finite number > 0.
   */
  constructor(options: ELUOptions = {}) {
    super();
    const alpha = checkOption('ELU', 'alpha', options.alpha ?? 1, 0);
    if (alpha === 0) throw new OptionError('ELU: alpha must be > 0, got 0 (use ReLU for a zero negative part)');
    this.alpha = alpha;
    this.name = `ELU(${this.alpha})`;
  }

  /**
   * z for z > 0, α(e^z − 1) otherwise.
   *
   * @param z - The pre-activation.
   * @returns ELU(z).
   */
  f(z: number): number {
    return z > 0 ? z : this.alpha * Math.expm1(z);
  }

  /**
   * 1 for z > 0, otherwise α·e^z (from z rather than as a + α, which cancels
   * to nothing as z → −∞).
   *
   * @param z - The pre-activation.
   * @returns The derivative.
   */
  derivative(z: number): number {
    return z > 0 ? 1 : this.alpha * Math.exp(z);
  }

  /**
   * `{ kind: 'elu', config: { alpha } }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'elu', config: { alpha: this.alpha } };
  }
}
