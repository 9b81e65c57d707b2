/**
 * `Sigmoid`: σ(z) = 1 / (1 + e^(−z)).
 *
 * @module
 */
import type { LayerSpec } from '../layers/layer.js';
import type { TensorData } from '../tensor.js';
import { scratch } from '../wasm/scratch.js';
import { Activation } from './activation.js';

/**
 * Arrays at least this long go through the WebAssembly kernel. Shorter ones stay
 * in TypeScript: widening into the kernel's memory and narrowing back cost more
 * than the kernel saves (with 64, W1's batches of 10 took 8% longer per epoch).
 */
const MIN_KERNEL_LENGTH = 4096;

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
   * σ over all but small arrays runs as a WebAssembly SIMD kernel (where there is
   * one): the same arithmetic as {@link Sigmoid.f}, in float64, two values at a
   * time, with e^x computed step for step as fdlibm computes it, which is what
   * `Math.exp` runs in V8 (Chrome, Node) and SpiderMonkey (Firefox). So the same
   * bits there (rounded to float32 for float32 tensors, as a store rounds); an
   * engine with another `Math.exp` may differ in the last bit.
   *
   * @param z - Pre-activations.
   * @param a - Receives σ(z).
   */
  protected override apply(z: TensorData, a: TensorData): void {
    const kernel = z.length >= MIN_KERNEL_LENGTH ? scratch() : null;
    if (kernel === null) return super.apply(z, a);
    const narrow = z instanceof Float32Array;
    const chunk = narrow ? kernel.floats : kernel.doubles; // float32 is widened and narrowed back inside the kernel
    for (let start = 0; start < z.length; start += chunk.length) {
      const part = z.subarray(start, Math.min(z.length, start + chunk.length));
      chunk.set(part);
      kernel.memory.kernels.sigmoid64(chunk.byteOffset, part.length, narrow);
      a.set(chunk.subarray(0, part.length), start);
    }
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
