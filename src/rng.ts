/**
 * The only source of randomness in tinydense: a small, seeded, serialisable
 * generator (xoshiro128**), so the same seed always gives the same weights and
 * the same shuffles, in Node and in every browser. `Math.random` is never used.
 *
 * @module
 */

/**
 * A seeded pseudo-random number generator (xoshiro128** by Blackman and Vigna,
 * seeded through splitmix32). Its whole state is four 32-bit integers, which
 * {@link Rng.getState} returns and {@link Rng.setState} restores.
 *
 * @example
 * ```ts
 * import { Rng } from 'tinydense';
 * const rng = new Rng(42);
 * rng.uniform(); // a number in [0, 1), the same every time for seed 42
 * rng.normal();  // a draw from N(0, 1)
 * ```
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * @param seed - Any finite number; its integer part (mod 2³²) picks the stream.
   */
  constructor(seed: number) {
    let x = Math.trunc(Number.isFinite(seed) ? seed : 0) >>> 0;
    // splitmix32 spreads one 32-bit seed over the four words of state.
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /**
   * The next 32 random bits as an unsigned integer.
   *
   * @returns An integer in [0, 2³²).
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform draw with 53 random bits.
   *
   * @returns A number in [0, 1).
   */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A draw from the normal distribution N(mean, std²), by the Box–Muller transform.
   *
   * @param mean - The mean (default 0).
   * @param std - The standard deviation (default 1).
   * @returns The draw.
   */
  normal(mean = 0, std = 1): number {
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const u = 1 - this.uniform();
    const v = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [0, n).
   *
   * @param n - The number of choices, a positive integer.
   * @returns An integer in [0, n).
   */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Shuffles an array in place (Fisher–Yates).
   *
   * @param array - The array to shuffle; it is modified.
   * @returns The same array, shuffled.
   */
  shuffle<A extends unknown[] | Uint32Array | Int32Array>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /**
   * The generator's whole state, as plain data.
   *
   * @returns Four unsigned 32-bit integers.
   */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /**
   * Restores a state returned by {@link Rng.getState}; the draws that follow are
   * exactly those that followed when the state was taken.
   *
   * @param state - Four unsigned 32-bit integers, not all zero.
   */
  setState(state: readonly [number, number, number, number]): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((s) => s >>> 0) as [number, number, number, number];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
