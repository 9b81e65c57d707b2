/**
 * `Dense`: the fully connected layer, z = x·W + b.
 *
 * @module
 */
import { OptionError, ShapeError, describe, formatShape } from '../errors.js';
import type { Rng } from '../rng.js';
import { Tensor, reuse, type DType, type TensorData } from '../tensor.js';
import type { SparseRows } from '../sparse-rows.js';
import type { ThreadPool } from '../threads/thread-pool.js';
import { DenseKernels } from './dense-kernels.js';
import type { DenseInit, Layer, LayerSpec, Parameter } from './layer.js';

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** How the initial weights and biases are drawn (default `'xavier'`); see {@link DenseInit}. */
  readonly init?: DenseInit;
}

const INITS: readonly DenseInit[] = ['nielsen-large', 'nielsen', 'xavier', 'he'];

/**
 * A fully connected layer: **z = x·W + b**, for a batch x of shape `[batch, inputs]`,
 * weights W of shape `[inputs, outputs]` and biases b of shape `[1, outputs]`
 * added to every row.
 *
 * Layout: rows are samples, so W is the transpose of the book's matrix: the
 * book's w_jk (from input k to neuron j) is `W.get(k, j)` here. The book's
 * z = w·a + b for one column vector a is this layer's z = x·W + b for a batch of
 * rows.
 *
 * Backward (the book's BP3 and BP4, summed over the batch):
 * ∂C/∂b_j = Σₙ δₙⱼ, ∂C/∂W_kj = Σₙ xₙₖ δₙⱼ, and ∂C/∂x = δ·Wᵀ, with δ = ∂C/∂z.
 *
 * The parameters are allocated by {@link Dense.initialize}, which `Sequential`
 * calls with the model's seeded RNG and dtype.
 *
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * const model = new Sequential([new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10), new Sigmoid()]);
 * ```
 */
export class Dense implements Layer {
  /** The number of inputs (the width of x). */
  readonly inputs: number;
  /** The number of outputs (neurons). */
  readonly outputs: number;
  /** The initialisation scheme. */
  readonly init: DenseInit;
  /** E.g. `Dense(784→30)`. */
  readonly name: string;

  private weightsParam: Parameter | undefined;
  private biasesParam: Parameter | undefined;
  private input: Tensor | undefined;
  /** The number of rows the last forward was given (−1 before the first). */
  private batch = -1;
  private output: Tensor | undefined;
  /** The dense copy of a sparse batch, for the TypeScript loops. */
  private denseBatch: Tensor | undefined;
  private inputGrad: Tensor | undefined;
  /** The column indices of the input's non-zero values, row after row (set by `forward`). */
  private nonZero = new Int32Array(0);
  /** Row n's non-zero indices are `nonZero[rowStart[n] … rowStart[n + 1])`. */
  private rowStart = new Int32Array(1);
  /** The WebAssembly SIMD fast path of a float32 layer, where available. */
  private kernels: DenseKernels | undefined;

  /**
   * @param inputs - Width of the input, a positive integer.
   * @param outputs - Number of neurons, a positive integer.
   * @param options - `{ init }`, see {@link DenseOptions}.
   * @throws {@link OptionError} if a size is not a positive integer or `init` is unknown.
   */
  constructor(inputs: number, outputs: number, options: DenseOptions = {}) {
    for (const [label, v] of [['inputs', inputs], ['outputs', outputs]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new OptionError(`Dense: ${label} must be a positive integer, got ${describe(v)}`);
    }
    const init = options.init ?? 'xavier';
    if (!INITS.includes(init)) {
      throw new OptionError(`Dense: unknown init ${JSON.stringify(init)}; expected one of ${INITS.map((i) => `'${i}'`).join(', ')}`);
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.init = init;
    this.name = `Dense(${inputs}→${outputs})`;
  }

  /** Always {@link Dense.inputs}. */
  get inputWidth(): number {
    return this.inputs;
  }

  /**
   * Checks the input width and returns {@link Dense.outputs}.
   *
   * @param inputWidth - The width the previous layer produces.
   * @returns The number of outputs.
   * @throws {@link ShapeError} if `inputWidth` differs from `inputs`.
   */
  outputWidth(inputWidth: number): number {
    if (inputWidth !== this.inputs) {
      throw new ShapeError(`${this.name}: expects ${this.inputs} inputs, but the previous layer gives ${inputWidth}`);
    }
    return this.outputs;
  }

  /**
   * Allocates W and b in `dtype` and draws them by the layer's `init` scheme.
   *
   * @param rng - The random source.
   * @param dtype - The parameters' dtype.
   */
  initialize(rng: Rng, dtype: DType): void {
    const { inputs, outputs } = this;
    // float32 parameters live where the SIMD kernels can reach them, if they can run here
    const kernels = (this.kernels = dtype === 'float32' ? DenseKernels.create(inputs, outputs) : undefined);
    const weights = kernels ? new Tensor(kernels.weights, [inputs, outputs]) : Tensor.zeros([inputs, outputs], dtype);
    const biases = kernels ? new Tensor(kernels.biases, [1, outputs]) : Tensor.zeros([1, outputs], dtype);
    const w = weights.data;
    const b = biases.data;
    switch (this.init) {
      case 'nielsen-large':
        for (let i = 0; i < w.length; i++) w[i] = rng.normal();
        for (let j = 0; j < b.length; j++) b[j] = rng.normal();
        break;
      case 'nielsen': {
        const std = 1 / Math.sqrt(inputs);
        for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
        for (let j = 0; j < b.length; j++) b[j] = rng.normal();
        break;
      }
      case 'xavier': {
        const limit = Math.sqrt(6 / (inputs + outputs));
        for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
        break;
      }
      case 'he': {
        const std = Math.sqrt(2 / inputs);
        for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
        break;
      }
    }
    const nablaW = kernels ? new Tensor(kernels.nablaW, [inputs, outputs]) : Tensor.zeros([inputs, outputs], dtype);
    const nablaB = kernels ? new Tensor(kernels.nablaB, [1, outputs]) : Tensor.zeros([1, outputs], dtype);
    this.weightsParam = { name: 'weights', value: weights, grad: nablaW, decay: true };
    this.biasesParam = { name: 'biases', value: biases, grad: nablaB, decay: false };
    this.input = this.output = this.inputGrad = this.denseBatch = undefined;
    this.batch = -1;
  }

  /**
   * Whether this layer runs on the WebAssembly SIMD kernels: true for a float32
   * layer, once initialised, where WebAssembly SIMD can run (not where a page's
   * Content-Security-Policy forbids compiling WebAssembly). Otherwise TypeScript
   * loops compute the same values, bit for bit, more slowly.
   */
  get simd(): boolean {
    return this.kernels !== undefined;
  }

  /**
   * The smallest and largest value of the input the last {@link Dense.forward} was
   * given, found by the kernels on their way through it (see {@link Layer.lastInputRange}).
   *
   * @returns `[min, max]`, or `undefined` where the TypeScript loops ran (float64,
   *   no SIMD), after {@link Dense.forwardRows}, or before any forward.
   */
  lastInputRange(): readonly [number, number] | undefined {
    return this.kernels?.lastInputRange;
  }

  /**
   * Shares this layer's big batches (128 rows or more) with a pool's workers, or
   * stops (`undefined`): the forward product split by rows, the weight gradient
   * by blocks of 32 outputs, bit-identical to one thread. Only float32 layers on
   * the SIMD kernels use it (see {@link Dense.simd}); float64 layers ignore it.
   *
   * @param threads - The pool, or `undefined`.
   */
  useThreads(threads: ThreadPool | undefined): void {
    if (this.kernels !== undefined) this.kernels.threads = threads;
  }

  /**
   * The weights W, shape `[inputs, outputs]` (the live tensor, not a copy).
   *
   * @throws {@link ShapeError} if the layer has not been initialised.
   */
  get weights(): Tensor {
    return this.params()[0].value;
  }

  /**
   * The biases b, shape `[1, outputs]` (the live tensor, not a copy).
   *
   * @throws {@link ShapeError} if the layer has not been initialised.
   */
  get biases(): Tensor {
    return this.params()[1].value;
  }

  /**
   * z = x·W + b.
   *
   * @param x - Shape `[batch, inputs]`, the layer's dtype.
   * @returns z, shape `[batch, outputs]` (a buffer reused by the next call).
   * @throws {@link ShapeError} if x is not `[batch, inputs]` or not of the parameters' dtype.
   */
  forward(x: Tensor): Tensor {
    const [weights, biases] = this.params();
    if (x.shape[1] !== this.inputs || x.dtype !== weights.value.dtype) {
      throw new ShapeError(
        `${this.name}.forward: expected ${weights.value.dtype} [batch, ${this.inputs}], got ${x.dtype} ${formatShape(x.shape)}`,
      );
    }
    const batch = x.shape[0];
    const out = (this.output = reuse(this.output, batch, this.outputs, x.dtype));
    this.input = x;
    this.batch = batch;
    if (this.kernels !== undefined) {
      this.kernels.forward(x.data as Float32Array, batch, out.data as Float32Array);
      return out;
    }
    const xd = x.data;
    const w = weights.value.data;
    const b = biases.value.data;
    const z = out.data;
    const nIn = this.inputs;
    const nOut = this.outputs;
    // About 81% of MNIST pixels are 0. List each row's non-zero inputs once (without
    // branches), so this product and the weight gradient skip the zeros; the sums
    // are taken in the same order, so they are unchanged.
    if (this.nonZero.length < batch * nIn) this.nonZero = new Int32Array(batch * nIn);
    if (this.rowStart.length < batch + 1) this.rowStart = new Int32Array(batch + 1);
    const nonZero = this.nonZero;
    const rowStart = this.rowStart;
    let count = 0;
    for (let n = 0; n < batch; n++) {
      rowStart[n] = count;
      const xRow = n * nIn;
      for (let k = 0; k < nIn; k++) {
        nonZero[count] = k;
        count += xd[xRow + k] !== 0 ? 1 : 0;
      }
    }
    rowStart[batch] = count;
    const product = xd instanceof Float32Array ? axpy32 : axpy;
    for (let n = 0; n < batch; n++) {
      const zRow = n * nOut;
      const xRow = n * nIn;
      for (let j = 0; j < nOut; j++) z[zRow + j] = b[j] as number;
      for (let t = rowStart[n] as number, end = rowStart[n + 1] as number; t < end; t++) {
        const k = nonZero[t] as number;
        const xk = xd[xRow + k] as number;
        product(xk, w, k * nOut, z, zRow, nOut);
      }
    }
    return out;
  }

  /**
   * z = x·W + b for the rows `indices` of a sparse matrix: the batch a dense x
   * would hold if those rows were gathered, with the same result bit for bit. The
   * SIMD kernels gather the rows' non-zero pairs straight into their memory; the
   * TypeScript loops gather a dense copy and run {@link Dense.forward}.
   *
   * @param x - Sparse rows, `inputs` wide (float32: the layer must be float32 too).
   * @param indices - The rows of x that form the batch, each in `[0, x.shape[0])`.
   * @returns z, shape `[indices.length, outputs]` (a buffer reused by the next call).
   * @throws {@link ShapeError} if x is not `inputs` wide, the layer is not float32, or a row index is out of range.
   */
  forwardRows(x: SparseRows, indices: ArrayLike<number>): Tensor {
    const weights = this.params()[0].value;
    const batch = indices.length;
    if (x.shape[1] !== this.inputs || weights.dtype !== 'float32') {
      throw new ShapeError(`${this.name}.forwardRows: expected float32 sparse rows [rows, ${this.inputs}] for a ${weights.dtype} layer, got ${formatShape(x.shape)}`);
    }
    for (let n = 0; n < batch; n++) {
      const r = indices[n] as number;
      if (!(r >= 0 && r < x.shape[0] && Number.isInteger(r))) throw new ShapeError(`${this.name}.forwardRows: row ${describe(r)} is outside shape ${formatShape(x.shape)}`);
    }
    if (this.kernels === undefined) {
      const dense = (this.denseBatch = reuse(this.denseBatch, batch, this.inputs, 'float32'));
      x.denseRows(indices, dense.data as Float32Array);
      return this.forward(dense);
    }
    const out = (this.output = reuse(this.output, batch, this.outputs, 'float32'));
    this.input = undefined;
    this.batch = batch;
    this.kernels.forwardRows(x, indices, out.data as Float32Array);
    return out;
  }

  /**
   * Adds ∂C/∂W = xᵀ·δ and ∂C/∂b = Σₙ δₙ into the gradients (BP4, BP3) and returns
   * ∂C/∂x = δ·Wᵀ, where δ = `outputGrad` = ∂C/∂z.
   *
   * @param outputGrad - δ, shape `[batch, outputs]`.
   * @returns ∂C/∂x, shape `[batch, inputs]` (a buffer reused by the next call).
   * @throws {@link ShapeError} if called before `forward` or with a shape other than forward's output.
   */
  backward(outputGrad: Tensor): Tensor {
    this.accumulateGradients(outputGrad);
    const w = this.params()[0].value.data;
    const batch = outputGrad.shape[0];
    const nIn = this.inputs;
    const nOut = this.outputs;
    const delta = outputGrad.data;
    const dx = (this.inputGrad = reuse(this.inputGrad, batch, nIn, outputGrad.dtype));
    if (this.kernels !== undefined) {
      this.kernels.inputGradient(delta as Float32Array, batch, dx.data as Float32Array);
      return dx;
    }
    const dxd = dx.data;
    for (let n = 0; n < batch; n++) {
      const dRow = n * nOut;
      for (let k = 0; k < nIn; k++) {
        const wRow = k * nOut;
        // ∂C/∂x_k = Σ_j δ_j W_kj: the book's (w^T δ) before BP2's ⊙ σ′(z)
        let sum = 0;
        for (let j = 0; j < nOut; j++) sum += (delta[dRow + j] as number) * (w[wRow + j] as number);
        dxd[n * nIn + k] = sum;
      }
    }
    return dx;
  }

  /**
   * Adds ∂C/∂W = xᵀ·δ (BP4) and ∂C/∂b = Σₙ δₙ (BP3) into the gradients, without
   * computing ∂C/∂x: what training needs from the first layer.
   *
   * @param outputGrad - δ = ∂C/∂z, shape `[batch, outputs]`.
   * @throws {@link ShapeError} if called before `forward` or with a shape other than forward's output.
   */
  accumulateGradients(outputGrad: Tensor): void {
    const [weights, biases] = this.params();
    const batch = this.batch;
    if (batch < 0) throw new ShapeError(`${this.name}.backward: called before forward`);
    const dtype = weights.value.dtype;
    if (outputGrad.shape[0] !== batch || outputGrad.shape[1] !== this.outputs || outputGrad.dtype !== dtype) {
      throw new ShapeError(
        `${this.name}.backward: expected ${dtype} ${formatShape([batch, this.outputs])}, got ${outputGrad.dtype} ${formatShape(outputGrad.shape)}`,
      );
    }
    if (this.kernels !== undefined) {
      this.kernels.weightGradient(outputGrad.data as Float32Array, batch);
      return;
    }
    const x = this.input as Tensor;
    const nIn = this.inputs;
    const nOut = this.outputs;
    const xd = x.data;
    const delta = outputGrad.data;
    const nablaW = weights.grad.data;
    const nablaB = biases.grad.data;
    const nonZero = this.nonZero;
    const rowStart = this.rowStart;
    const product = xd instanceof Float32Array ? axpy32 : axpy;
    for (let n = 0; n < batch; n++) {
      const dRow = n * nOut;
      const xRow = n * nIn;
      // BP3: ∂C/∂b_j = δ_j
      for (let j = 0; j < nOut; j++) nablaB[j] = (nablaB[j] as number) + (delta[dRow + j] as number);
      // BP4: ∂C/∂W_kj = x_k δ_j, for the non-zero x_k listed by forward (the rest add 0)
      for (let t = rowStart[n] as number, end = rowStart[n + 1] as number; t < end; t++) {
        const k = nonZero[t] as number;
        const xk = xd[xRow + k] as number;
        product(xk, delta, dRow, nablaW, k * nOut, nOut);
      }
    }
  }

  /**
   * `[weights, biases]`, each with its gradient.
   *
   * @returns The two parameters.
   * @throws {@link ShapeError} if the layer has not been initialised.
   */
  parameters(): Parameter[] {
    return [...this.params()];
  }

  /**
   * `{ kind: 'dense', config: { inputs, outputs, init } }`.
   *
   * @returns The layer's plain-data description.
   */
  toSpec(): LayerSpec {
    return { kind: 'dense', config: { inputs: this.inputs, outputs: this.outputs, init: this.init } };
  }

  private params(): [Parameter, Parameter] {
    if (this.weightsParam === undefined || this.biasesParam === undefined) {
      throw new ShapeError(`${this.name}: not initialised; add it to a Sequential or call initialize(rng, dtype) first`);
    }
    return [this.weightsParam, this.biasesParam];
  }
}

/**
 * y[yOffset + j] += a · x[xOffset + j] for j < length: the one loop both hot
 * products of a dense layer reduce to, here for float64. Unrolled by four (fewer
 * loop and bounds checks); each element is still computed as y + a·x.
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
 * (`Math.fround`), and the sum is rounded on the store, exactly as the SIMD
 * kernels compute it.
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
