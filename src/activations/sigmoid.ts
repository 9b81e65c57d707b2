/**
 * `Sigmoid`: σ(z) = 1 / (1 + e^(−z)).
 *
 * @module
 */
import * as ops from '../backend/ops.js';
import type { LayerSpec } from '../layers/layer.js';
import type { TensorData } from '../tensor.js';
import { Activation } from './activation.js';

/**
 * The logistic sigmoid, **σ(z) = 1 / (1 + e^(−z))**, with σ′(z) = σ(z)(1 − σ(z)):
 * the book's neuron. Computed without overflow for any input (for z < 0 as
 * e^z / (1 + e^z)), so it is finite and in [0, 1] for inputs up to ±1e4 and beyond.
 *
 * @example
 * ```ts
 * import { Sigmoid, Tensor } from 'tinydense';
 * new Sigmoid().forward(Tensor.from([[0, 1e4, -1e4]])).toArray(); // [[0.5, 1, 0]]
 * ```
 */
export class Sigmoid extends Activation {
  /** `'Sigmoid'`. */
  readonly name = 'Sigmoid';

  /**
   * σ(z).
   *
   * @param z - The pre-activation.
   * @returns 1 / (1 + e^(−z)).
   */
  f(z: number): number {
    // 1 / (1 + e^(−z)) for z ≥ 0 and e^z / (1 + e^z) below, so e^(−|z|) never
    // overflows; chosen by arithmetic (m is 1 or 0) rather than a branch the CPU
    // would mispredict for mixed signs. Exactly the two formulas' values.
    const e = Math.exp(-Math.abs(z));
    const m = +(z >= 0);
    return (m + (1 - m) * e) / (1 + e);
  }

  /**
   * σ over a whole array: the backend's kernel where it takes the array (big
   * float32 ones), giving for each value the float32 that {@link Sigmoid.f}'s
   * float64 value rounds to; {@link Sigmoid.f} element by element otherwise.
   *
   * @param z - Pre-activations.
   * @param a - Receives σ(z).
   */
  protected override apply(z: TensorData, a: TensorData): void {
    if (!ops.sigmoid(z, a)) super.apply(z, a);
  }

  /**
   * σ′(z) = a(1 − a) with a = σ(z).
   *
   * @param _z - The pre-activation (unused).
   * @param a - σ(z).
   * @returns a(1 − a).
   */
  derivative(_z: number, a: number): number {
    return a * (1 - a);
  }

  /**
   * `{ kind: 'sigmoid' }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'sigmoid' };
  }
}
