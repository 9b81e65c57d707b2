/**
 * `Dense`: the fully connected layer, z = x·W + b.
 *
 * @module
 */
import * as ops from '../backend/ops.js';
import { OptionError, ShapeError, describe, formatShape } from '../errors.js';
import type { Rng } from '../rng.js';
import { reuse, type DType, type Tensor } from '../tensor.js';
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

  /** W, b and their gradients, where the backend's kernels can reach them. */
  private store: ops.DenseStore | undefined;
  private weightsParam: Parameter | undefined;
  private biasesParam: Parameter | undefined;
  /** The number of rows the last forward was given (−1 before the first). */
  private batch = -1;
  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;

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
    const store = (this.store = ops.denseStore(inputs, outputs, dtype));
    const w = store.weights.data;
    const b = store.biases.data;
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
    this.weightsParam = { name: 'weights', value: store.weights, grad: store.nablaW, decay: true };
    this.biasesParam = { name: 'biases', value: store.biases, grad: store.nablaB, decay: false };
    this.output = this.inputGrad = undefined;
    this.batch = -1;
  }

  /**
   * Whether this layer runs on the WebAssembly SIMD kernels: true for a float32
   * layer, once initialised, where WebAssembly SIMD can run (not where a page's
   * Content-Security-Policy forbids compiling WebAssembly). Otherwise the
   * reference loops compute the same values, bit for bit, more slowly.
   */
  get simd(): boolean {
    return this.store?.simd === true;
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
    return this.feed(x);
  }

  /**
   * z = x·W + b for a batch of rows of a stored training set, as the training
   * loop hands them to a first layer: the same bits as `forward` of the gathered rows.
   *
   * @internal
   * @param x - The batch (a float32 layer's).
   * @returns z, shape `[batch, outputs]` (a buffer reused by the next call).
   */
  forwardRows(x: ops.RowBatch): Tensor {
    return this.feed(x);
  }

  private feed(x: Tensor | ops.RowBatch): Tensor {
    const store = this.ready();
    const [batch, width] = ops.inputShape(x);
    const dtype = ops.isRowBatch(x) ? 'float32' : x.dtype;
    if (width !== this.inputs || dtype !== store.weights.dtype) {
      throw new ShapeError(`${this.name}.forward: expected ${store.weights.dtype} [batch, ${this.inputs}], got ${dtype} ${formatShape([batch, width])}`);
    }
    const out = (this.output = reuse(this.output, batch, this.outputs, store.weights.dtype));
    ops.denseForward(store, x, out);
    this.batch = batch;
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
    const dx = (this.inputGrad = reuse(this.inputGrad, outputGrad.shape[0], this.inputs, outputGrad.dtype));
    // ∂C/∂x = δ·Wᵀ: the book's (wᵀδ) before BP2's ⊙ σ′(z)
    ops.denseInputGradient(this.ready(), outputGrad, dx);
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
    const store = this.ready();
    const batch = this.batch;
    if (batch < 0) throw new ShapeError(`${this.name}.backward: called before forward`);
    const dtype = store.weights.dtype;
    if (outputGrad.shape[0] !== batch || outputGrad.shape[1] !== this.outputs || outputGrad.dtype !== dtype) {
      throw new ShapeError(
        `${this.name}.backward: expected ${dtype} ${formatShape([batch, this.outputs])}, got ${outputGrad.dtype} ${formatShape(outputGrad.shape)}`,
      );
    }
    ops.denseWeightGradient(store, outputGrad);
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
    this.ready();
    return [this.weightsParam as Parameter, this.biasesParam as Parameter];
  }

  private ready(): ops.DenseStore {
    if (this.store === undefined) {
      throw new ShapeError(`${this.name}: not initialised; add it to a Sequential or call initialize(rng, dtype) first`);
    }
    return this.store;
  }
}
