/**
 * `Sigmoid`: σ(z) = 1 / (1 + e^(−z)).
 *
 * @module
 */
import type { LayerSpec } from '../layers/layer.js';
import type { TensorData } from '../tensor.js';
import type { ThreadPool } from '../threads/thread-pool.js';
import { scratch } from '../wasm/scratch.js';
import { Activation } from './activation.js';

/**
 * float32 arrays at least this long go through the WebAssembly kernel. Shorter
 * ones stay in TypeScript: copying into the kernel's memory and back costs more
 * than the kernel saves (with 64, W1's batches of 10 took 8% longer per epoch).
 */
const MIN_KERNEL_LENGTH = 4096;

/**
 * Arrays at least this long are shared with a {@link ThreadPool}, if one is given
 * (a section of work costs about 35 µs, the kernel about 2.6 ns per value).
 */
const MIN_THREADED_LENGTH = 65536;

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
  private threads: ThreadPool | undefined;

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
   * σ over all but small float32 arrays runs as a WebAssembly SIMD kernel (where
   * there is one), with the same result bit for bit: each value is the float32
   * that {@link Sigmoid.f}'s float64 value rounds to. The kernel takes σ in
   * float64 to within 2^−44 (e^x from a polynomial), which settles the rounding
   * of all but about 1 value in 30,000; those it takes as {@link Sigmoid.f}
   * does, with `Math.exp`. (Checked for all 2^32 float32 inputs by `npm run
   * verify:sigmoid`.) float64 arrays stay in TypeScript. Given threads (see
   * {@link Sigmoid.useThreads}), each takes an equal part of every round of values.
   *
   * @param z - Pre-activations.
   * @param a - Receives σ(z).
   */
  protected override apply(z: TensorData, a: TensorData): void {
    const kernel = z instanceof Float32Array && z.length >= MIN_KERNEL_LENGTH ? scratch() : null;
    if (kernel === null) return super.apply(z, a);
    const shared = z.length >= MIN_THREADED_LENGTH && this.threads?.open === true ? scratch(true) : null;
    const section = shared === null ? undefined : this.threads?.begin(shared.memory);
    const home = kernel.floats;
    // this thread's part of a round goes through the home chunk, worker t's through part t − 1 of the shared one
    const away = (shared ?? kernel).floats;
    const threads = section?.size ?? 1;
    // a multiple of the kernel's four lanes, so a worker's last group stays in its own part
    const part = section === undefined ? home.length : 4 * Math.floor(away.length / (4 * (threads - 1)));
    try {
      for (let start = 0; start < z.length; start += threads * part) {
        const end = Math.min(z.length, start + threads * part);
        const each = Math.ceil((end - start) / threads);
        const calls: number[][] = [];
        for (let t = 1; start + t * each < end; t++) {
          const from = start + t * each;
          const length = Math.min(each, end - from);
          away.set(z.subarray(from, from + length), (t - 1) * part);
          calls.push([away.byteOffset + 4 * (t - 1) * part, length]);
        }
        section?.start('sigmoid32', calls);
        const mine = z.subarray(start, Math.min(end, start + each));
        home.set(mine);
        kernel.memory.kernels.sigmoid32(home.byteOffset, mine.length);
        a.set(home.subarray(0, mine.length), start);
        section?.finish(calls.length);
        calls.forEach(([, length], i) => a.set(away.subarray(i * part, i * part + (length as number)), start + (i + 1) * each));
      }
    } finally {
      section?.end();
    }
  }

  /**
   * Shares σ over big float32 arrays (65,536 values or more) with a pool's workers, or
   * stops (`undefined`); bit-identical to one thread. `Sequential` calls it around
   * a call given the `threads` option.
   *
   * @param threads - The pool, or `undefined`.
   */
  useThreads(threads: ThreadPool | undefined): void {
    this.threads = threads;
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
