/**
 * `Sequential`: a network as a stack of layers, with training, prediction,
 * weights access and serialization.
 *
 * @module
 */
import { accuracy } from '../accuracy.js';
import * as ops from '../backend/ops.js';
import { DataError, FormatError, OptionError, ShapeError, TinyDenseError, describe, formatShape } from '../errors.js';
import { Dense } from '../layers/dense.js';
import type { Layer, Parameter } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import { resolveLoss, type LossName } from '../losses/names.js';
import { isClassLabels, meanAbsoluteError, r2Score, rootMeanSquaredError } from '../regression-metrics.js';
import { Rng } from '../rng.js';
import { toTensor, type DType, type Tensor, type TensorLike } from '../tensor.js';
import { backwardPass, forwardPass, zeroGradients } from '../training/backprop.js';
import { drainAsync, drainSync } from '../training/fit.js';
import type { History } from '../training/history.js';
import { planFit, type FitOptions } from '../training/options.js';
import { trainOnBatch, type TrainOnBatchOptions } from '../training/step.js';
import { checkData, checkFinite, checkLayers, checkOnWarning, checkShapes, checkThreads, checkWidth, warnIfOutOfRange } from '../training/validate.js';
import { modelToJSON, parseModelJSON, type ModelJSON } from './serialization.js';

/** Options of {@link Sequential}. */
export interface SequentialOptions {
  /** Seed of the model's RNG, which draws the initial weights and shuffles the data (default 0). */
  readonly seed?: number;
  /** `'float32'` (default) or `'float64'`: the dtype of every parameter and activation. */
  readonly dtype?: DType;
  /**
   * The name of each output's class, in output order (two names for a single
   * sigmoid output: below 0.5, then at or above), for {@link Sequential.predictClasses};
   * saved with the model.
   */
  readonly classNames?: readonly string[];
  /**
   * Anything else to keep with the model, as JSON-compatible data: where the data
   * came from, how it was preprocessed (a table's encoding), a version. Saved in
   * the model JSON and kept on every re-save; copied when given.
   */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Options of {@link Sequential.predict} and {@link Sequential.evaluate}. */
export interface PredictOptions {
  /** A {@link ThreadPool} to share big batches (128 rows or more) with; the results are bit-identical without it. */
  readonly threads?: ops.ThreadPool;
  /** Receives warnings, such as inputs far outside the range the model was trained on (default `console.warn`; each cause once per model). */
  readonly onWarning?: (message: string) => void;
}

/**
 * The result of {@link Sequential.evaluate}: the loss, and either the accuracy
 * (when the targets are class labels: one-hot rows, or 0/1 for one output) or
 * the regression figures (for any other targets).
 */
export interface Evaluation {
  /** The mean loss over the samples. */
  readonly loss: number;
  /** For class labels: the fraction classified correctly (see {@link accuracy}). */
  readonly accuracy?: number;
  /** For regression targets: the mean absolute error, in the targets' units (see {@link meanAbsoluteError}). */
  readonly meanAbsoluteError?: number;
  /** For regression targets: the root mean squared error, in the targets' units (see {@link rootMeanSquaredError}). */
  readonly rootMeanSquaredError?: number;
  /** For regression targets: the coefficient of determination (see {@link r2Score}). */
  readonly r2?: number;
}

/**
 * A feed-forward network: layers applied one after another. Rows are samples
 * throughout: inputs are `[n, inputWidth]`, outputs `[n, outputWidth]`.
 *
 * Construction draws the initial parameters from a seeded RNG, so the same
 * layers, seed and data always give bit-identical weights after training.
 *
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * const model = new Sequential([new Dense(2, 4), new Sigmoid(), new Dense(4, 1), new Sigmoid()], { seed: 1 });
 * model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], {
 *   epochs: 2000, batchSize: 4, loss: 'quadratic', optimizer: 'adam',
 * });
 * model.predict([[1, 0]]).get(0, 0); // close to 1
 * ```
 */
export class Sequential {
  /** The layers, first to last. */
  readonly layers: readonly Layer[];
  /** The dtype of parameters and activations. */
  readonly dtype: DType;
  /** The seed the model was built with. */
  readonly seed: number;
  /** The model's RNG: it drew the initial weights and draws every shuffle. */
  readonly rng: Rng;
  /** The number of input features. */
  readonly inputWidth: number;
  /** The number of outputs. */
  readonly outputWidth: number;
  /** The classes' names, if given (see {@link SequentialOptions.classNames}). */
  readonly classNames: readonly string[] | undefined;
  /** The model's free-form metadata, if given (see {@link SequentialOptions.metadata}). */
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /**
   * [min, max] of every input the model has been trained on (widened by each
   * training call, saved with the model); inputs far outside it get a warning,
   * once per model. `undefined` until trained.
   */
  inputRange: readonly [number, number] | undefined = undefined;

  /**
   * @param layers - The layers, first to last; the first must fix the input width (a `Dense`, or an adapted `Normalization`).
   * @param options - See {@link SequentialOptions}.
   * @throws {@link OptionError} for bad options or layers. {@link ShapeError} if consecutive layers' widths do not match.
   */
  constructor(layers: readonly Layer[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0) throw new OptionError(`Sequential: layers must be a non-empty array, got ${describe(layers)}`);
    const seed = options.seed ?? 0;
    const dtype = options.dtype ?? 'float32';
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new OptionError(`Sequential: seed must be a finite number, got ${describe(seed)}`);
    if (dtype !== 'float32' && dtype !== 'float64') throw new OptionError(`Sequential: dtype must be 'float32' or 'float64', got ${describe(dtype)}`);
    const seen = new Set<unknown>();
    layers.forEach((layer: unknown, i) => {
      const l = layer as Partial<Layer> | null;
      if (typeof l !== 'object' || l === null || typeof l.forward !== 'function' || typeof l.backward !== 'function' || typeof l.parameters !== 'function' || typeof l.outputWidth !== 'function') {
        throw new OptionError(`Sequential: layer ${i} is ${describe(layer)}, not a Layer (forward, backward, parameters, outputWidth)`);
      }
      if (seen.has(l)) throw new OptionError(`Sequential: layer ${i} (${describe(l.name)}) appears twice; create a new layer instead`);
      seen.add(l);
    });
    const first = layers[0] as Layer;
    if (first.inputWidth === undefined) {
      throw new OptionError(`Sequential: the first layer (${first.name}) must fix the input width, e.g. a Dense, or a Normalization adapted to the data`);
    }
    let width = first.inputWidth;
    layers.forEach((layer, i) => {
      try {
        width = layer.outputWidth(width);
      } catch (e) {
        if (e instanceof TinyDenseError) e.message = `Sequential: layer ${i}: ${e.message}`;
        throw e;
      }
    });
    this.classNames = checkClassNames(options.classNames, width);
    this.metadata = checkMetadata(options.metadata);
    this.layers = [...layers];
    this.dtype = dtype;
    this.seed = seed;
    this.inputWidth = first.inputWidth;
    this.outputWidth = width;
    this.rng = new Rng(seed);
    for (const layer of this.layers) layer.initialize?.(this.rng, dtype);
  }

  /**
   * Every trainable parameter with its gradient, in layer order (W₁, b₁, W₂, b₂, …).
   * The live objects: an optimizer updates these.
   *
   * @returns The parameters.
   */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  /**
   * Trains the network by mini-batch gradient descent, synchronously: for each
   * epoch, shuffle the samples with the model's RNG, split them into mini-batches
   * of `batchSize`, and for each batch backpropagate the mean loss and let the
   * optimizer update the parameters. Every argument is checked first: on a bad
   * argument nothing is changed.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param y - Targets, `[n, outputWidth]` (e.g. from {@link oneHot}).
   * @param options - Epochs, batch size, loss, optimizer and callbacks; see {@link FitOptions}.
   * @returns The {@link History}, one record per epoch.
   * @throws {@link ShapeError} for mismatched shapes, {@link DataError} for NaN or Infinity in x or y,
   *   {@link OptionError} for bad options (e.g. a batch size of 0 or an unknown loss name).
   * @example
   * ```ts
   * import { Dense, Sequential, Sigmoid, SGD } from 'tinydense';
   * const model = new Sequential([new Dense(2, 3), new Sigmoid(), new Dense(3, 1), new Sigmoid()]);
   * const history = model.fit([[0, 1], [1, 0]], [[1], [1]], { epochs: 10, batchSize: 2, loss: 'quadratic', optimizer: new SGD({ learningRate: 3 }) });
   * history.epochs.length; // 10
   * ```
   */
  fit(x: TensorLike, y: TensorLike, options: FitOptions): History {
    return drainSync(planFit(this, x, y, options, 'Sequential.fit'));
  }

  /**
   * One update on one batch, as Keras' `train_on_batch`: the forward pass (in
   * training mode), the loss, backpropagation and one optimizer step, without
   * epochs, shuffling or callbacks, for code that trains a sample or a few at a
   * time (a game, a control loop, reinforcement learning). After the first call it
   * allocates nothing when x and y are tensors of the model's dtype. Bit for bit
   * one step of `fit` on the same batch (`shuffle: false`, `batchSize: 'full'`).
   * The known input range widens as in `fit`. On NaN or Infinity the model and
   * optimizer are put back as before the call and a {@link NonFiniteError} is thrown.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param y - Targets, `[n, outputWidth]`.
   * @param options - `{ loss, optimizer }` (a named optimizer is the model's own, as in `fit`).
   * @returns The batch's mean loss, before the update.
   * @throws The errors of {@link Sequential.fit}; {@link StateError} while a `fitAsync` runs.
   * @example
   * ```ts
   * import { Dense, Sequential, Sigmoid, Tanh } from 'tinydense';
   * const model = new Sequential([new Dense(2, 8), new Tanh(), new Dense(8, 1), new Sigmoid()], { seed: 1 });
   * for (let i = 0; i < 1000; i++) {
   *   const [a, b] = [i % 2, (i >> 1) % 2];
   *   model.trainOnBatch([[a, b]], [[a ^ b]], { loss: 'cross-entropy', optimizer: 'adam' });
   * }
   * ```
   */
  trainOnBatch(x: TensorLike, y: TensorLike, options: TrainOnBatchOptions): number {
    return trainOnBatch(this, x, y, options);
  }

  /**
   * {@link Sequential.fit}, yielding to the event loop every few milliseconds so a
   * page stays responsive. Results are identical to `fit`'s.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param y - Targets, `[n, outputWidth]`.
   * @param options - See {@link FitOptions}; `signal` stops training between batches.
   * @returns A promise of the {@link History}.
   * @throws Rejects with the errors of {@link Sequential.fit}.
   * @example
   * ```ts
   * import { Dense, Sequential, Sigmoid } from 'tinydense';
   * const model = new Sequential([new Dense(2, 1), new Sigmoid()]);
   * const controller = new AbortController();
   * await model.fitAsync([[0, 1]], [[1]], { epochs: 100, batchSize: 1, loss: 'quadratic', optimizer: 'sgd', signal: controller.signal });
   * ```
   */
  async fitAsync(x: TensorLike, y: TensorLike, options: FitOptions): Promise<History> {
    return drainAsync(planFit(this, x, y, options, 'Sequential.fitAsync'));
  }

  /**
   * The network's output for each input row.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param options - See {@link PredictOptions}.
   * @returns A new tensor `[n, outputWidth]`.
   * @throws {@link ShapeError} for a wrong width, {@link DataError} for NaN or Infinity, {@link OptionError} for bad options.
   * @example
   * ```ts
   * import { Dense, Sequential, Softmax } from 'tinydense';
   * const model = new Sequential([new Dense(4, 3), new Softmax()]);
   * model.predict([[1, 2, 3, 4]]).shape; // [1, 3]
   * ```
   */
  predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    const threads = checkThreads(options, 'Sequential.predict');
    const onWarning = checkOnWarning(options, 'Sequential.predict');
    checkLayers(this, 'Sequential.predict');
    const input = toTensor(x, this.dtype, 'Sequential.predict x');
    checkWidth(input, this.inputWidth, 'Sequential.predict', 'x');
    return this.feedForward(input, threads, 'Sequential.predict', onWarning).clone();
  }

  /**
   * The name of the class each input row is predicted to be: the output with the
   * largest value (for a single output: the second name at 0.5 or above, the
   * first below).
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param options - See {@link PredictOptions}.
   * @returns One class name per row.
   * @throws {@link OptionError} if the model has no `classNames`; the errors of {@link Sequential.predict}.
   * @example
   * ```ts
   * import { Dense, Sequential, Softmax } from 'tinydense';
   * const model = new Sequential([new Dense(4, 3), new Softmax()], { classNames: ['setosa', 'versicolor', 'virginica'] });
   * model.predictClasses([[5.1, 3.5, 1.4, 0.2]]); // e.g. ['versicolor'] before training
   * ```
   */
  predictClasses(x: TensorLike, options: PredictOptions = {}): string[] {
    const names = this.classNames;
    if (names === undefined) {
      throw new OptionError('Sequential.predictClasses: the model has no classNames; give them to the constructor, or use predict(x).argmaxRows() for class numbers');
    }
    const output = this.predict(x, options);
    if (this.outputWidth === 1) return Array.from(output.data, (a) => names[a >= 0.5 ? 1 : 0] as string);
    return Array.from(output.argmaxRows(), (k) => names[k] as string);
  }

  /**
   * The last layer's output for x (its buffer, not a copy), checking that x is finite.
   * A first layer that finds x's range on its way saves a pass over it.
   */
  private feedForward(input: Tensor, threads: ops.ThreadPool | undefined, where: string, onWarning: ((message: string) => void) | undefined): Tensor {
    const { layers } = this;
    const first = layers[0] as Layer;
    // A Dense layer on the kernels finds its input's range on its way through it.
    // (No closures here: predict of one row is a hot path for small networks.)
    const scans = first instanceof Dense && first.simd;
    if (!scans) warnIfOutOfRange(this, checkFinite(input, where, 'x'), where, onWarning, false);
    const previous = ops.lendThreads(threads);
    try {
      const a = first.forward(input);
      if (scans) warnIfOutOfRange(this, checkFinite(input, where, 'x', ops.scannedRange(input)), where, onWarning, false);
      return forwardPass(layers, a, 1);
    } finally {
      ops.restoreThreads(previous);
    }
  }

  /**
   * The mean loss, and the accuracy on class labels or the regression figures
   * on numeric targets.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param y - Targets, `[n, outputWidth]`.
   * @param loss - A loss instance or name.
   * @param options - See {@link PredictOptions}.
   * @returns `{ loss, accuracy }` when y holds class labels (one-hot rows, or 0/1 for one output;
   *   accuracy is argmax agreement, threshold 0.5 for one output); otherwise
   *   `{ loss, meanAbsoluteError, rootMeanSquaredError, r2 }`.
   * @throws {@link ShapeError}, {@link DataError} or {@link OptionError} for bad input.
   * @example
   * ```ts
   * import { Dense, Sequential, Sigmoid } from 'tinydense';
   * const model = new Sequential([new Dense(2, 1), new Sigmoid()]);
   * const { loss, accuracy } = model.evaluate([[0, 1]], [[1]], 'quadratic');
   * ```
   */
  evaluate(x: TensorLike, y: TensorLike, loss: Loss | LossName, options: PredictOptions = {}): Evaluation {
    const lossFn = resolveLoss(loss, 'Sequential.evaluate');
    const threads = checkThreads(options, 'Sequential.evaluate');
    const where = 'Sequential.evaluate';
    const onWarning = checkOnWarning(options, where);
    checkLayers(this, where);
    const [input, target] = checkShapes(this, x, y, where, 'x', 'y');
    checkFinite(target, where, 'y');
    if (input.shape[0] === 0) throw new DataError(`${where}: x has no rows`);
    const predicted = this.feedForward(input, threads, where, onWarning);
    const value = lossFn.value(predicted, target);
    if (isClassLabels(target)) return { loss: value, accuracy: accuracy(predicted, target) };
    return {
      loss: value,
      meanAbsoluteError: meanAbsoluteError(predicted, target),
      rootMeanSquaredError: rootMeanSquaredError(predicted, target),
      r2: r2Score(predicted, target),
    };
  }

  /**
   * Copies of the parameters in layer order: W₁, b₁, W₂, b₂, … (Dense weights are
   * `[inputs, outputs]`, biases `[1, outputs]`).
   *
   * @returns New tensors.
   */
  getWeights(): Tensor[] {
    return this.parameters().map((p) => p.value.clone());
  }

  /**
   * Replaces the parameters, in the order of {@link Sequential.getWeights}. All are
   * checked before any is written.
   *
   * @param weights - One tensor (or nested array) per parameter, of the same shapes.
   * @throws {@link ShapeError} for a wrong count or shape, {@link DataError} for NaN or Infinity.
   */
  setWeights(weights: readonly TensorLike[]): void {
    const parameters = this.parameters();
    if (!Array.isArray(weights) || weights.length !== parameters.length) {
      throw new ShapeError(`Sequential.setWeights: expected ${parameters.length} tensors (W₁, b₁, …), got ${describe(weights)}`);
    }
    const values = parameters.map((p, i) => {
      const w = toTensor(weights[i] as TensorLike, this.dtype, `Sequential.setWeights[${i}]`);
      if (w.shape[0] !== p.value.shape[0] || w.shape[1] !== p.value.shape[1]) {
        throw new ShapeError(`Sequential.setWeights: tensor ${i} (${p.name}) must be ${formatShape(p.value.shape)}, got ${formatShape(w.shape)}`);
      }
      checkFinite(w, 'Sequential.setWeights', `tensor ${i} (${p.name})`);
      return w;
    });
    parameters.forEach((p, i) => p.value.data.set((values[i] as Tensor).data));
  }

  /**
   * The gradient of the mean loss with respect to every parameter, by
   * backpropagation, without updating anything.
   *
   * @param x - Inputs, `[n, inputWidth]`.
   * @param y - Targets, `[n, outputWidth]`.
   * @param loss - A loss instance or name.
   * @returns New tensors in the order of {@link Sequential.getWeights}.
   * @throws {@link ShapeError}, {@link DataError} or {@link OptionError} for bad input.
   */
  gradients(x: TensorLike, y: TensorLike, loss: Loss | LossName): Tensor[] {
    const lossFn = resolveLoss(loss, 'Sequential.gradients');
    checkLayers(this, 'Sequential.gradients');
    const [input, target] = checkData(this, x, y, 'Sequential.gradients', 'x', 'y');
    const parameters = this.parameters();
    zeroGradients(parameters);
    backwardPass(this.layers, lossFn, forwardPass(this.layers, input), target, false);
    const grads = parameters.map((p) => p.grad.clone());
    zeroGradients(parameters);
    return grads;
  }

  /**
   * A table of the layers, their output shapes and parameter counts.
   *
   * @returns The table as text.
   */
  summary(): string {
    let width = this.inputWidth;
    const rows = this.layers.map((layer) => {
      width = layer.outputWidth(width);
      const count = layer.parameters().reduce((sum, p) => sum + p.value.data.length, 0);
      return [layer.name, `[batch, ${width}]`, count.toLocaleString('en-US')] as const;
    });
    const total = this.parameters().reduce((sum, p) => sum + p.value.data.length, 0);
    const table = [['Layer', 'Output shape', 'Parameters'] as const, ...rows];
    const widths = [0, 1, 2].map((c) => Math.max(...table.map((r) => (r[c] as string).length)));
    const line = (r: readonly string[]): string => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join('  ');
    const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 4);
    return [line(table[0]), rule, ...rows.map(line), rule, `Total parameters: ${total.toLocaleString('en-US')} (${this.dtype})`].join('\n');
  }

  /**
   * The model as plain data (format version 1): layers, their constructor
   * arguments and their parameters. `JSON.stringify(model)` uses it.
   *
   * @returns The {@link ModelJSON}.
   * @throws {@link FormatError} if the model contains a custom layer without `toSpec`.
   */
  toJSON(): ModelJSON {
    return modelToJSON(this.layers, { dtype: this.dtype, seed: this.seed, inputRange: this.inputRange, classNames: this.classNames, metadata: this.metadata });
  }

  /**
   * Rebuilds a model saved with {@link Sequential.toJSON}; it predicts bit-identically.
   *
   * @param json - The JSON text or the parsed object.
   * @returns A new model.
   * @throws {@link FormatError} naming the malformed, missing or mismatched field, or a newer version.
   * @example
   * ```ts
   * import { Dense, Sequential, Sigmoid } from 'tinydense';
   * const model = new Sequential([new Dense(2, 1), new Sigmoid()]);
   * const copy = Sequential.fromJSON(JSON.stringify(model));
   * ```
   */
  static fromJSON(json: unknown): Sequential {
    const spec = parseModelJSON(json);
    let model: Sequential;
    try {
      model = new Sequential(spec.layers, {
        seed: spec.seed,
        dtype: spec.dtype,
        ...(spec.classNames === undefined ? {} : { classNames: spec.classNames }),
        ...(spec.metadata === undefined ? {} : { metadata: spec.metadata }),
      });
    } catch (e) {
      if (e instanceof TinyDenseError) throw new FormatError(`Sequential.fromJSON: the layers do not fit together: ${e.message}`);
      throw e;
    }
    spec.layers.forEach((layer, i) => {
      for (const p of layer.parameters()) p.value.data.set((spec.weights[i] as Record<string, readonly number[]>)[p.name] as number[]);
    });
    if (spec.inputRange !== undefined) model.inputRange = spec.inputRange;
    return model;
  }
}

/** The `classNames` option, checked against the number of outputs. */
function checkClassNames(names: unknown, outputs: number): readonly string[] | undefined {
  if (names === undefined) return undefined;
  const wanted = outputs === 1 ? 2 : outputs;
  if (!Array.isArray(names) || names.length !== wanted || !names.every((n) => typeof n === 'string')) {
    throw new OptionError(`Sequential: classNames must be ${wanted} strings (${outputs === 1 ? 'below and above 0.5 of the single output' : 'one per output'}), got ${describe(names)}`);
  }
  if (new Set(names).size !== names.length) throw new OptionError(`Sequential: classNames must be distinct, got ${JSON.stringify(names)}`);
  return Object.freeze([...(names as string[])]);
}

/** The `metadata` option: a plain object that survives JSON, copied. */
function checkMetadata(metadata: unknown): Readonly<Record<string, unknown>> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new OptionError(`Sequential: metadata must be an object, got ${describe(metadata)}`);
  try {
    return JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
  } catch (e) {
    throw new OptionError(`Sequential: metadata must be JSON-compatible data (${(e as Error).message})`);
  }
}
