/**
 * `Tanh`: the hyperbolic tangent.
 *
 * @module
 */
import type { LayerSpec } from '../layers/layer.js';
import { Activation } from './activation.js';

/**
 * The hyperbolic tangent, **tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))**, with
 * tanh′(z) = 1 − tanh²(z). `Math.tanh` saturates to ±1 without overflow.
 *
 * @example
 * ```ts
 * import { Tanh, Tensor } from 'tinydense';
 * new Tanh().forward(Tensor.from([[0, 1e4]])).toArray(); // [[0, 1]]
 * ```
 */
export class Tanh extends Activation {
  /** `'Tanh'`. */
  readonly name = 'Tanh';

  /**
   * tanh(z).
   *
   * @param z - The pre-activation.
   * @returns tanh(z).
   */
  f(z: number): number {
    return Math.tanh(z);
  }

  /**
   * 1 − a² with a = tanh(z).
   *
   * @param _z - The pre-activation (unused).
   * @param a - tanh(z).
   * @returns 1 − a².
   */
  derivative(_z: number, a: number): number {
    return 1 - a * a;
  }

  /**
   * `{ kind: 'tanh' }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'tanh' };
  }
}
