/**
 * The reference loops: plain TypeScript for every operation that has a kernel.
 * They run where the kernels cannot (float64, no WebAssembly SIMD, a page that
 * forbids compiling WebAssembly), and they define the results: every kernel
 * returns exactly these values, bit for bit, and the tests compare the two.
 *
 * float32 arrays are computed in float32 arithmetic (each product rounded with
 * `Math.fround`, each sum rounded on the store), as the kernels compute them.
 *
 * @module
 */
import type { TensorData } from '../tensor.js';

/**
 * A dense layer's reference loops, with the scratch they keep between forward
 * and backward: the column indices of each input row's non-zero values.
 *
 * Invariant: `weightGradient` uses the x of the last `forward`, which the caller
 * leaves unchanged in between.
 */
export class DenseReference {
  private readonly inputs: number;
  private readonly outputs: number;
  /** The column indices of the input's non-zero values, row after row (set by `forward`). */
  private nonZero = new Int32Array(0);
  /** Row n's non-zero indices are `nonZero[rowStart[n] … rowStart[n + 1])`. */
  private rowStart = new Int32Array(1);
  /** The last forward's input. */
  private x: TensorData | undefined;

  /**
   * @param inputs - The layer's input width.
   * @param outputs - The layer's output width.
   */
  constructor(inputs: number, outputs: number) {
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /**
   * z = x·W + b (the book's eq. 25 before σ, for rows).
   *
   * @param x - `batch × inputs` values.
   * @param batch - The number of rows.
   * @param w - W, `inputs × outputs`, row-major.
   * @param b - b, `outputs` values.
   * @param z - Receives `batch × outputs` values.
   */
  forward(x: TensorData, batch: number, w: TensorData, b: TensorData, z: TensorData): void {
    const { inputs: nIn, outputs: nOut } = this;
    this.x = x;
    // List each row's non-zero inputs once (without branches): the product and the
    // weight gradient then skip the zeros, whose terms add exactly 0, so the sums
    // are unchanged and taken in the same order as the kernels take them.
    if (this.nonZero.length < batch * nIn) this.nonZero = new Int32Array(batch * nIn);
    if (this.rowStart.length < batch + 1) this.rowStart = new Int32Array(batch + 1);
    const { nonZero, rowStart } = this;
    let count = 0;
    for (let n = 0; n < batch; n++) {
      rowStart[n] = count;
      const xRow = n * nIn;
      for (let k = 0; k < nIn; k++) {
        nonZero[count] = k;
        count += x[xRow + k] !== 0 ? 1 : 0;
      }
    }
    rowStart[batch] = count;
    const product = x instanceof Float32Array ? axpy32 : axpy;
    for (let n = 0; n < batch; n++) {
      const zRow = n * nOut;
      const xRow = n * nIn;
      for (let j = 0; j < nOut; j++) z[zRow + j] = b[j] as number;
      for (let t = rowStart[n] as number, end = rowStart[n + 1] as number; t < end; t++) {
        const k = nonZero[t] as number;
        product(x[xRow + k] as number, w, k * nOut, z, zRow, nOut);
      }
    }
  }

  /**
   * Adds ∂C/∂W = xᵀ·δ (BP4) and ∂C/∂b = Σₙ δₙ (BP3) into the gradients, for the x
   * of the last {@link DenseReference.forward}.
   *
   * @param delta - δ = ∂C/∂z, `batch × outputs` values.
   * @param batch - The number of rows.
   * @param nablaW - ∂C/∂W, added into.
   * @param nablaB - ∂C/∂b, added into.
   */
  weightGradient(delta: TensorData, batch: number, nablaW: TensorData, nablaB: TensorData): void {
    const { inputs: nIn, outputs: nOut, nonZero, rowStart } = this;
    const x = this.x as TensorData;
    const product = x instanceof Float32Array ? axpy32 : axpy;
    for (let n = 0; n < batch; n++) {
      const dRow = n * nOut;
      const xRow = n * nIn;
      // BP3: ∂C/∂b_j = δ_j
      for (let j = 0; j < nOut; j++) nablaB[j] = (nablaB[j] as number) + (delta[dRow + j] as number);
      // BP4: ∂C/∂W_kj = x_k δ_j, for the non-zero x_k listed by forward (the rest add 0)
      for (let t = rowStart[n] as number, end = rowStart[n + 1] as number; t < end; t++) {
        const k = nonZero[t] as number;
        product(x[xRow + k] as number, delta, dRow, nablaW, k * nOut, nOut);
      }
    }
  }

  /**
   * ∂C/∂x = δ·Wᵀ: the book's (wᵀδ) before BP2's ⊙ σ′(z).
   *
   * @param delta - δ, `batch × outputs` values.
   * @param batch - The number of rows.
   * @param w - W, `inputs × outputs`, row-major.
   * @param dx - Receives `batch × inputs` values.
   */
  inputGradient(delta: TensorData, batch: number, w: TensorData, dx: TensorData): void {
    const { inputs: nIn, outputs: nOut } = this;
    for (let n = 0; n < batch; n++) {
      const dRow = n * nOut;
      for (let k = 0; k < nIn; k++) {
        const wRow = k * nOut;
        let sum = 0;
        for (let j = 0; j < nOut; j++) sum += (delta[dRow + j] as number) * (w[wRow + j] as number);
        dx[n * nIn + k] = sum;
      }
    }
  }
}

/**
 * w ← decay·w − η·g, in float32 arithmetic for float32 arrays (η, decay, each
 * product and the difference rounded to float32).
 *
 * @param w - The values, updated in place.
 * @param g - Their gradient.
 * @param eta - η.
 * @param decay - The weight decay factor (1 for none).
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function sgdStep(w: TensorData, g: TensorData, eta: number, decay: number): number {
  let sum = 0;
  if (w instanceof Float32Array) {
    const round = Math.fround;
    const eta32 = round(eta);
    const decay32 = round(decay);
    for (let i = 0; i < w.length; i++) {
      w[i] = round(decay32 * (w[i] as number)) - round(eta32 * (g[i] as number));
      sum += w[i] as number;
    }
    return sum;
  }
  for (let i = 0; i < w.length; i++) {
    w[i] = decay * (w[i] as number) - eta * (g[i] as number);
    sum += w[i] as number;
  }
  return sum;
}

/** Adam's settings for one step t (see {@link adamStep}). */
export interface AdamStepSettings {
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  /** η/(1 − β₁ᵗ): η with the first moment's bias correction. */
  readonly stepSize: number;
  /** 1/√(1 − β₂ᵗ): the second moment's bias correction, under the root. */
  readonly rootCorrection: number;
}

/**
 * One Adam step: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², then
 * w ← w − (η/(1 − β₁ᵗ))·m / (√v·(1/√(1 − β₂ᵗ)) + ε), which is η·m̂/(√v̂ + ε)
 * with the bias corrections folded into two factors per step, so that each value
 * costs one division and one square root (as in PyTorch). In float64, each new w
 * stored (and, for float32 values, rounded) once.
 *
 * @param w - The values, updated in place.
 * @param g - Their gradient.
 * @param m - The first-moment estimate, updated in place.
 * @param v - The second-moment estimate, updated in place.
 * @param s - β₁, β₂, ε and the step's two factors.
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function adamStep(w: TensorData, g: TensorData, m: Float64Array, v: Float64Array, s: AdamStepSettings): number {
  return w instanceof Float32Array ? adam32(w, g, m, v, s) : adam64(w, g, m, v, s);
}

// The two loops differ only in rounding: float32 values are rounded where the new
// value is made (the store then keeps it as it is), so the sum adds what was stored
// without reading it back, a third of the time; the new moments likewise stay in
// locals (reading them back made the loop 3× slower in V8). They are two functions,
// not one taking the rounding as an argument: once that one has seen both dtypes,
// V8 no longer inlines the call (docs/performance.md).

function adam32(w: Float32Array, g: TensorData, m: Float64Array, v: Float64Array, s: AdamStepSettings): number {
  const { beta1, beta2, epsilon, stepSize, rootCorrection } = s;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + keep1 * gi;
    const vi = beta2 * (v[i] as number) + keep2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const next = Math.fround((w[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * rootCorrection + epsilon));
    w[i] = next;
    sum += next;
  }
  return sum;
}

function adam64(w: TensorData, g: TensorData, m: Float64Array, v: Float64Array, s: AdamStepSettings): number {
  const { beta1, beta2, epsilon, stepSize, rootCorrection } = s;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + keep1 * gi;
    const vi = beta2 * (v[i] as number) + keep2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const next = (w[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * rootCorrection + epsilon);
    w[i] = next;
    sum += next;
  }
  return sum;
}

/**
 * One step of SGD with momentum: velocity ← μ·velocity − η·g, w ← decay·w + velocity,
 * in float64, each new w stored (and, for float32 values, rounded) once.
 *
 * @param w - The values, updated in place.
 * @param g - Their gradient.
 * @param velocity - The velocity, updated in place.
 * @param mu - μ, the momentum coefficient.
 * @param eta - η.
 * @param decay - The weight decay factor (1 for none).
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function momentumStep(w: TensorData, g: TensorData, velocity: Float64Array, mu: number, eta: number, decay: number): number {
  return w instanceof Float32Array ? momentum32(w, g, velocity, mu, eta, decay) : momentum64(w, g, velocity, mu, eta, decay);
}

// As adam32 and adam64: they differ only in rounding.

function momentum32(w: Float32Array, g: TensorData, velocity: Float64Array, mu: number, eta: number, decay: number): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const vi = mu * (velocity[i] as number) - eta * (g[i] as number);
    velocity[i] = vi;
    const next = Math.fround(decay * (w[i] as number) + vi);
    w[i] = next;
    sum += next;
  }
  return sum;
}

function momentum64(w: TensorData, g: TensorData, velocity: Float64Array, mu: number, eta: number, decay: number): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const vi = mu * (velocity[i] as number) - eta * (g[i] as number);
    velocity[i] = vi;
    const next = decay * (w[i] as number) + vi;
    w[i] = next;
    sum += next;
  }
  return sum;
}

/**
 * y[yOffset + j] += a · x[xOffset + j] for j < length: the one loop both hot
 * products of a dense layer reduce to, here for float64. Unrolled by four; each
 * element is still computed as y + a·x.
 */
function axpy(a: number, x: TensorData, xOffset: number, y: TensorData, yOffset: number, length: number): void {
  let j = 0;
  for (; j + 3 < length; j += 4) {
    const yo = yOffset + j;
    const xo = xOffset + j;
    y[yo] = (y[yo] as number) + a * (x[xo] as number);
    y[yo + 1] = (y[yo + 1] as number) + a * (x[xo + 1] as number);
    y[yo + 2] = (y[yo + 2] as number) + a * (x[xo + 2] as number);
    y[yo + 3] = (y[yo + 3] as number) + a * (x[xo + 3] as number);
  }
  for (; j < length; j++) y[yOffset + j] = (y[yOffset + j] as number) + a * (x[xOffset + j] as number);
}

/**
 * {@link axpy} in float32 arithmetic: the product is rounded to float32
 * (`Math.fround`), and the sum is rounded on the store, exactly as the kernels
 * compute it.
 */
function axpy32(a: number, x: TensorData, xOffset: number, y: TensorData, yOffset: number, length: number): void {
  const round = Math.fround;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    const yo = yOffset + j;
    const xo = xOffset + j;
    y[yo] = (y[yo] as number) + round(a * (x[xo] as number));
    y[yo + 1] = (y[yo + 1] as number) + round(a * (x[xo + 1] as number));
    y[yo + 2] = (y[yo + 2] as number) + round(a * (x[xo + 2] as number));
    y[yo + 3] = (y[yo + 3] as number) + round(a * (x[xo + 3] as number));
  }
  for (; j < length; j++) y[yOffset + j] = (y[yOffset + j] as number) + round(a * (x[xOffset + j] as number));
}
