/**
 * `Normalization`: each feature shifted and scaled to mean 0 and variance 1, by
 * statistics learned from data (Keras' `Normalization`).
 *
 * @module
 */
import { checkSameShape } from '../activations/activation.js';
import { DataError, FormatError, OptionError, ShapeError, describe, formatShape } from '../errors.js';
import { reuse, toTensor, type DType, type Tensor, type TensorData, type TensorLike } from '../tensor.js';
import type { Layer, LayerSpec, Parameter } from './layer.js';

/** Options of {@link Normalization}. */
export interface NormalizationOptions {
  /** Each feature's mean, if known already (otherwise call {@link Normalization.adapt}). Given with `variance`. */
  readonly mean?: readonly number[];
  /** Each feature's variance (≥ 0), given with `mean`. */
  readonly variance?: readonly number[];
  /**
   * Map the other way, from standard units back to the data's: y = mean + x·σ
   * (default false). Adapted on the targets and placed last, it turns a
   * regression output back into the targets' units.
   */
  readonly invert?: boolean;
}

/**
 * Standardises each feature: **y = (x − mean) / σ** with σ = √variance, per
 * column, the mean and the (population) variance learned from data by
 * {@link Normalization.adapt}, as Keras' `Normalization` does. Inputs in
 * different units (grams, millimetres, years) then start training on the same
 * footing. The statistics are fixed, not trained: they are saved in the model
 * JSON and applied the same way by `predict`.
 *
 * With `{ invert: true }` it maps back: **y = mean + x·σ**. Adapted on the
 * regression targets and placed after the linear output, the model predicts in
 * the targets' units while training on standardised ones.
 *
 * A feature whose variance is 0 (a constant column) is only shifted (σ is
 * taken as 1, as scikit-learn's `StandardScaler` does), so it maps to 0 rather
 * than to ±Infinity.
 *
 * @example
 * ```ts
 * import { Dense, Normalization, Sequential } from 'tinydense';
 * const x = [[1500, 3], [2000, 4], [2500, 5]];
 * const y = [[10], [20], [30]];
 * const model = new Sequential([
 *   new Normalization().adapt(x), // features to mean 0, variance 1
 *   new Dense(2, 1),              // a linear output: the regression head
 *   new Normalization({ invert: true }).adapt(y), // back to the targets' units
 * ]);
 * ```
 */
export class Normalization implements Layer {
  /** Whether the layer maps from standard units back to the data's. */
  readonly invert: boolean;

  private meanValues: Float64Array | undefined;
  private varianceValues: Float64Array | undefined;
  /** σ per feature: √variance, or 1 where the variance is 0. */
  private std: Float64Array | undefined;
  /** The mean and σ rounded to float32, which a float32 model computes with (set with them, not per call). */
  private float32: { readonly mean: Float32Array; readonly std: Float32Array } | undefined;
  private output: Tensor | undefined;
  private inputGrad: Tensor | undefined;

  /**
   * @param options - Known statistics and the direction; see {@link NormalizationOptions}.
   * @throws {@link OptionError} if `mean` and `variance` are not given together as
   *   equally long arrays of finite numbers (variances ≥ 0), or `invert` is not a boolean.
   */
  constructor(options: NormalizationOptions = {}) {
    const { mean, variance } = options;
    const invert = options.invert ?? false;
    if (typeof invert !== 'boolean') throw new OptionError(`Normalization: invert must be a boolean, got ${describe(invert)}`);
    this.invert = invert;
    if (mean === undefined && variance === undefined) return;
    const check = (name: string, v: unknown, min: number): Float64Array => {
      if (!Array.isArray(v) || v.length === 0) throw new OptionError(`Normalization: ${name} must be a non-empty array of numbers, got ${describe(v)}`);
      const bad = v.findIndex((t: unknown) => typeof t !== 'number' || !Number.isFinite(t) || t < min);
      if (bad !== -1) throw new OptionError(`Normalization: ${name}[${bad}] must be a finite number${min === 0 ? ' ≥ 0' : ''}, got ${describe(v[bad])}`);
      return Float64Array.from(v as number[]);
    };
    const m = check('mean', mean, -Infinity);
    const s2 = check('variance', variance, 0);
    if (m.length !== s2.length) throw new OptionError(`Normalization: mean has ${m.length} values but variance has ${s2.length}`);
    this.set(m, s2);
  }

  /** E.g. `'Normalization(4)'`, `'Normalization(1, invert)'`, or `'Normalization(not adapted)'`. */
  get name(): string {
    const width = this.meanValues?.length;
    return `Normalization(${width === undefined ? 'not adapted' : width}${this.invert ? ', invert' : ''})`;
  }

  /** The number of features, once adapted (or built with `mean` and `variance`); fixes a model's input width when first. */
  get inputWidth(): number | undefined {
    return this.meanValues?.length;
  }

  /** Whether the statistics are known (adapted, or given to the constructor). */
  get adapted(): boolean {
    return this.meanValues !== undefined;
  }

  /** Each feature's mean (a copy), or `undefined` before {@link Normalization.adapt}. */
  get mean(): number[] | undefined {
    return this.meanValues === undefined ? undefined : Array.from(this.meanValues);
  }

  /** Each feature's variance (a copy), or `undefined` before {@link Normalization.adapt}. */
  get variance(): number[] | undefined {
    return this.varianceValues === undefined ? undefined : Array.from(this.varianceValues);
  }

  /**
   * Learns each column's mean and population variance from data, in float64
   * (two passes, so a large mean does not swamp the variance). Call it with
   * the training set only, never the test set, before training.
   *
   * @param data - Rows of features (or of targets, for an inverting layer), `[n, features]`, n ≥ 1.
   * @returns The layer, so it can be adapted where it is created.
   * @throws {@link DataError} naming the row and column of a NaN or Infinity, or for no rows;
   *   {@link ShapeError} if the layer already has a width and the data another.
   */
  adapt(data: TensorLike): this {
    const x = toTensor(data, 'float64', 'Normalization.adapt');
    const [rows, cols] = x.shape;
    if (rows === 0) throw new DataError('Normalization.adapt: the data has no rows');
    const width = this.meanValues?.length;
    if (width !== undefined && cols !== width) {
      throw new ShapeError(`Normalization.adapt: the layer has ${width} features, but the data is ${formatShape(x.shape)}`);
    }
    const d = x.data;
    const mean = new Float64Array(cols);
    for (let i = 0; i < d.length; i++) {
      const v = d[i] as number;
      if (!Number.isFinite(v)) throw new DataError(`Normalization.adapt: the data has ${v} at row ${Math.floor(i / cols)}, column ${i % cols}`);
      mean[i % cols] += v;
    }
    for (let c = 0; c < cols; c++) (mean[c] as number) /= rows;
    const variance = new Float64Array(cols);
    for (let i = 0; i < d.length; i++) {
      const dev = (d[i] as number) - (mean[i % cols] as number);
      variance[i % cols] += dev * dev;
    }
    for (let c = 0; c < cols; c++) (variance[c] as number) /= rows;
    this.set(mean, variance);
    return this;
  }

  /**
   * Any width before the layer is adapted (the model checks again before it
   * trains or predicts); the feature count after.
   *
   * @param inputWidth - The width the previous layer produces.
   * @returns The same width.
   * @throws {@link ShapeError} if the layer is adapted to another width.
   */
  outputWidth(inputWidth: number): number {
    const width = this.meanValues?.length;
    if (width !== undefined && inputWidth !== width) {
      throw new ShapeError(`${this.name}: adapted to ${width} features, but the previous layer gives ${inputWidth}`);
    }
    return inputWidth;
  }

  /**
   * y = (x − mean) / σ per column, or y = mean + x·σ when inverting.
   *
   * @param x - Shape `[batch, features]`.
   * @returns y, same shape (a buffer reused by the next call).
   * @throws {@link OptionError} if the layer was never adapted; {@link ShapeError} for another width.
   */
  forward(x: Tensor): Tensor {
    const [mean, std] = this.ready('forward', x.dtype);
    const [rows, cols] = x.shape;
    if (cols !== mean.length) throw new ShapeError(`${this.name}.forward: expected [batch, ${mean.length}], got ${formatShape(x.shape)}`);
    const out = (this.output = reuse(this.output, rows, cols, x.dtype));
    const xd = x.data;
    const yd = out.data;
    // A float32 model computes in float32: the statistics rounded to float32 and
    // each operation's result too, as an ONNX runtime's Sub and Div (or Mul and
    // Add) do, so an exported model gives the same bits there.
    const round = x.dtype === 'float32' ? Math.fround : (v: number): number => v;
    if (this.invert) {
      for (let i = 0; i < xd.length; i++) yd[i] = round((xd[i] as number) * (std[i % cols] as number)) + (mean[i % cols] as number);
    } else {
      for (let i = 0; i < xd.length; i++) yd[i] = round((xd[i] as number) - (mean[i % cols] as number)) / (std[i % cols] as number);
    }
    return out;
  }

  /**
   * ∂C/∂x = ∂C/∂y / σ (or ·σ when inverting), per column.
   *
   * @param outputGrad - ∂C/∂y, shape `[batch, features]`.
   * @returns ∂C/∂x (a buffer reused by the next call).
   * @throws {@link ShapeError} if called before `forward` or with another shape.
   */
  backward(outputGrad: Tensor): Tensor {
    const [, std] = this.ready('backward', outputGrad.dtype); // its dtype is y's, or the shape check below throws
    const y = this.output;
    if (y === undefined) throw new ShapeError(`${this.name}.backward: called before forward`);
    checkSameShape(this.name, y, outputGrad);
    const [rows, cols] = y.shape;
    const dx = (this.inputGrad = reuse(this.inputGrad, rows, cols, y.dtype));
    const g = outputGrad.data;
    const out = dx.data;
    if (this.invert) for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * (std[i % cols] as number);
    else for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) / (std[i % cols] as number);
    return dx;
  }

  /**
   * Nothing to accumulate: the statistics are not trained. As a first layer,
   * this spares training the input gradient, which nothing uses.
   */
  accumulateGradients(): void {
    // no parameters
  }

  /**
   * None: the statistics are fixed by `adapt`, not trained.
   *
   * @returns An empty list.
   */
  parameters(): Parameter[] {
    return [];
  }

  /**
   * `{ kind: 'normalization', config: { mean, variance, invert } }`.
   *
   * @returns The layer's plain-data description.
   * @throws {@link FormatError} if the layer was never adapted.
   */
  toSpec(): LayerSpec {
    if (this.meanValues === undefined || this.varianceValues === undefined) {
      throw new FormatError(`${this.name}: cannot be saved before adapt(data) has learned its statistics`);
    }
    return { kind: 'normalization', config: { mean: Array.from(this.meanValues), variance: Array.from(this.varianceValues), invert: this.invert } };
  }

  private set(mean: Float64Array, variance: Float64Array): void {
    this.meanValues = mean;
    this.varianceValues = variance;
    this.std = variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
    this.float32 = { mean: Float32Array.from(mean), std: Float32Array.from(this.std) };
    this.output = this.inputGrad = undefined;
  }

  /** The mean and σ in the precision a tensor of `dtype` computes with. */
  private ready(method: string, dtype: DType): [TensorData, TensorData] {
    if (this.meanValues === undefined || this.std === undefined || this.float32 === undefined) {
      throw new OptionError(`${this.name}.${method}: call adapt(data) with the training ${this.invert ? 'targets' : 'inputs'} first`);
    }
    return dtype === 'float32' ? [this.float32.mean, this.float32.std] : [this.meanValues, this.std];
  }
}
