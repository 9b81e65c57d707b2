/**
 * `ReLU`: max(0, z).
 *
 * @module
 */
import type { LayerSpec } from '../layers/layer.js';
import { Activation } from './activation.js';

/**
 * The rectified linear unit, **ReLU(z) = max(0, z)**, with ReLU′(z) = 1 for z > 0
 * and 0 otherwise (0 at the kink z = 0, as in PyTorch).
 *
 * @example
 * ```ts
 * import { ReLU, Tensor } from 'tinydense';
 * new ReLU().forward(Tensor.from([[-2, 0, 3]])).toArray(); // [[0, 0, 3]]
 * ```
 */
export class ReLU extends Activation {
  /** `'ReLU'`. */
  readonly name = 'ReLU';

  /**
   * max(0, z).
   *
   * @param z - The pre-activation.
   * @returns z if positive, else 0.
   */
  f(z: number): number {
    return z > 0 ? z : 0;
  }

  /**
   * 1 for z > 0, else 0.
   *
   * @param z - The pre-activation.
   * @returns The derivative.
   */
  derivative(z: number): number {
    return +(z > 0); // 1 or 0, without a branch the CPU would mispredict
  }

  /**
   * `{ kind: 'relu' }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'relu' };
  }
}
