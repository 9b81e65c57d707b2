/**
 * The options of a training run, and the plan they are checked into before
 * anything changes.
 *
 * @module
 */
import type { ThreadPool } from '../backend/ops.js';
import { OptionError, describe } from '../errors.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Softmax } from '../activations/softmax.js';
import type { Layer } from '../layers/layer.js';
import { CategoricalCrossEntropyLoss } from '../losses/categorical-cross-entropy.js';
import { CrossEntropyLoss } from '../losses/cross-entropy.js';
import type { Loss } from '../losses/loss.js';
import { resolveLoss, type LossName } from '../losses/names.js';
import { resolveOptimizer, type OptimizerName } from '../optimizers/names.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Rng } from '../rng.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { checkNotTraining } from './running.js';
import { resolveVerbose, type FitReporter } from './verbose.js';
import type { BatchRecord, EpochRecord, ValidationSplit } from './history.js';
import type { LearningRateSchedule } from './schedules.js';
import type { Trainable } from './trainable.js';
import { checkData, checkLayers, checkOnWarning, checkThreads, warnIfOutOfRange, warnOnce } from './validate.js';

/** Options of {@link Sequential.fit} and {@link Sequential.fitAsync}. */
export interface FitOptions {
  /** Passes over the training set, an integer ≥ 0. */
  readonly epochs: number;
  /** Samples per mini-batch (m), a positive integer, or `'full'` for full-batch gradient descent. */
  readonly batchSize: number | 'full';
  /** The cost function, an instance or a {@link LossName}. */
  readonly loss: Loss | LossName;
  /**
   * The update rule, an instance or an {@link OptimizerName}. A name gives the
   * model's own optimizer of that kind, created with its defaults on first use and
   * kept for the model's later `fit` calls (as a Keras model keeps its compiled
   * optimizer), so Adam's moments and step count carry over from call to call
   * rather than starting again. Pass an instance to choose its options or to
   * save it in a checkpoint.
   */
  readonly optimizer: Optimizer | OptimizerName;
  /** Reshuffle the training set (with the model's seeded RNG) before each epoch (default true). */
  readonly shuffle?: boolean;
  /** `[x, y]` evaluated after each epoch; adds `valLoss` and `valAccuracy` to each record. */
  readonly validationData?: readonly [TensorLike, TensorLike];
  /**
   * Holds out this fraction of the rows, in (0, 1), as validation data instead
   * of giving `validationData`. The rows are chosen by a shuffle seeded with the
   * model's seed (not the last rows, as Keras takes them, which goes wrong for
   * sorted data), so every `fit` call of a model, and a resumed run, holds out
   * the same rows; the model's own RNG does not move. The held-out rows are
   * recorded in {@link History.validationSplit}.
   */
  readonly validationSplit?: number;
  /** Called after each epoch with that epoch's record. */
  readonly onEpochEnd?: (record: EpochRecord) => void;
  /** Called after each mini-batch update. */
  readonly onBatchEnd?: (record: BatchRecord) => void;
  /** Stops training before the next mini-batch once aborted; the model keeps every completed update. */
  readonly signal?: AbortSignal;
  /** Epochs already done, when resuming from a checkpoint: training runs epochs `initialEpoch + 1 … epochs` (default 0). */
  readonly initialEpoch?: number;
  /** Sets the optimizer's learning rate before each epoch, e.g. {@link stepDecay}; the rate used is recorded. */
  readonly learningRateSchedule?: LearningRateSchedule;
  /** Stops when a monitored figure stops improving; see {@link EarlyStoppingOptions}. */
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Also evaluate the whole training set after each epoch (`trainLoss`, `trainAccuracy`), as the book's monitoring does. */
  readonly trainingMetrics?: boolean;
  /**
   * Keep training through NaN or Infinity (default false: a {@link NonFiniteError}
   * stops training and the model keeps its last finite weights).
   */
  readonly allowNonFinite?: boolean;
  /**
   * Receives warnings (default `console.warn`), each cause once per model: inputs far
   * outside the range the model was trained on; a cross-entropy loss on an output
   * that is not a Softmax or Sigmoid.
   */
  readonly onWarning?: (message: string) => void;
  /**
   * What to print while training, as Keras' `verbose`: `0` nothing; `1` a line per
   * epoch (loss, the validation figures, the time), at most about one a second
   * (the first and last always); `2` every epoch's line; or a
   * {@link FitReporter} (e.g. `await progressBar()` from `tinydense/node`, which
   * adds a bar over the batches of long epochs). Default: `1` in a Node terminal,
   * `0` elsewhere (a browser, output piped to a file, a test runner).
   */
  readonly verbose?: 0 | 1 | 2 | FitReporter;
  /**
   * A {@link ThreadPool} to share big batches with (full-batch training; mini-batches
   * under 128 rows stay on this thread). Results are bit-identical without it.
   */
  readonly threads?: ThreadPool;
}

/** A validated training run, ready to start. */
export interface FitPlan {
  readonly model: Trainable;
  readonly x: Tensor;
  readonly y: Tensor;
  readonly batchSize: number;
  readonly epochs: number;
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly shuffle: boolean;
  readonly validation: readonly [Tensor, Tensor] | undefined;
  /** With `validationSplit`: the fraction and the held-out rows. */
  readonly split: ValidationSplit | undefined;
  readonly initialEpoch: number;
  readonly earlyStopping: EarlyStopping | undefined;
  readonly options: FitOptions;
  /** The pool lent to the operations while each step runs. */
  readonly threads: ThreadPool | undefined;
  /** Where progress goes, from `verbose`. */
  readonly reporter: FitReporter | undefined;
}

/**
 * Checks every argument of a training run before anything is changed.
 *
 * @param model - The model to train.
 * @param xLike - Inputs `[n, inputWidth]`.
 * @param yLike - Targets `[n, outputWidth]`.
 * @param options - The fit options.
 * @param where - `Sequential.fit` or `Sequential.fitAsync`, for messages.
 * @returns The run's plan.
 * @throws {@link ShapeError}, {@link DataError} or {@link OptionError} naming what is wrong.
 */
export function planFit(model: Trainable, xLike: TensorLike, yLike: TensorLike, options: FitOptions, where: string): FitPlan {
  if (typeof options !== 'object' || options === null) {
    throw new OptionError(`${where}: options must be an object like { epochs, batchSize, loss, optimizer }, got ${describe(options)}`);
  }
  checkNotTraining(model, where);
  const { epochs, batchSize } = options;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
    throw new OptionError(`${where}: epochs must be an integer ≥ 0, got ${describe(epochs)}`);
  }
  if (batchSize !== 'full' && (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1)) {
    throw new OptionError(`${where}: batchSize must be a positive integer or 'full', got ${describe(batchSize)}`);
  }
  const loss = resolveLoss(options.loss, where);
  const optimizer = typeof options.optimizer === 'string' ? namedOptimizer(model, options.optimizer, where) : resolveOptimizer(options.optimizer, where);
  checkLayers(model, where);
  const checked = checkData(model, xLike, yLike, where, 'x', 'y');
  const xRange = checked[2];
  let [x, y] = checked;
  if (x.shape[0] === 0) throw new OptionError(`${where}: the training set is empty`);
  let validation: readonly [Tensor, Tensor] | undefined;
  let split: ValidationSplit | undefined;
  if (options.validationSplit !== undefined) {
    if (options.validationData !== undefined) throw new OptionError(`${where}: give validationData or validationSplit, not both`);
    const held = splitRows(model.seed, x.shape[0], options.validationSplit, where);
    split = { fraction: options.validationSplit, validationRows: Array.from(held.validation) };
    validation = [x.gatherRows(held.validation), y.gatherRows(held.validation)];
    [x, y] = [x.gatherRows(held.training), y.gatherRows(held.training)];
  } else if (options.validationData !== undefined) {
    if (!Array.isArray(options.validationData) || options.validationData.length !== 2) {
      throw new OptionError(`${where}: validationData must be [x, y], got ${describe(options.validationData)}`);
    }
    const [vx, vy] = checkData(model, options.validationData[0], options.validationData[1], where, 'validationData x', 'validationData y');
    validation = [vx, vy];
  }
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs) {
    throw new OptionError(`${where}: initialEpoch must be an integer in [0, epochs = ${epochs}], got ${describe(initialEpoch)}`);
  }
  if (options.learningRateSchedule !== undefined && typeof options.learningRateSchedule !== 'function') {
    throw new OptionError(`${where}: learningRateSchedule must be a function (epoch) => rate, got ${describe(options.learningRateSchedule)}`);
  }
  const threads = checkThreads(options, where);
  const reporter = resolveVerbose(options.verbose, where);
  const earlyStopping = options.earlyStopping === undefined ? undefined : new EarlyStopping(options.earlyStopping, validation !== undefined, where);
  loss.validateTarget?.(y, `${where} y`);
  if (validation !== undefined) loss.validateTarget?.(validation[1], `${where} validationData y`);
  const onWarning = checkOnWarning(options, where);
  warnIfMismatched(model, loss, where, onWarning);
  warnIfOutOfRange(model, xRange, where, onWarning);
  const size = batchSize === 'full' ? x.shape[0] : Math.min(batchSize, x.shape[0]);
  return { model, x, y, batchSize: size, epochs, loss, optimizer, shuffle: options.shuffle ?? true, validation, split, initialEpoch, earlyStopping, options, threads, reporter };
}

/**
 * Warns (once per model) when a cross-entropy loss meets an output that is not a
 * probability: categorical cross-entropy wants a Softmax (or Sigmoid) last, and
 * cross-entropy a Sigmoid (or Softmax). A `Dense` output trained on them reached
 * 19.5% instead of 82.5% in a newcomer's test, without a word.
 */
function warnIfMismatched(model: Trainable, loss: Loss, where: string, onWarning: ((message: string) => void) | undefined): void {
  const last = model.layers[model.layers.length - 1] as Layer;
  if (!(loss instanceof CrossEntropyLoss || loss instanceof CategoricalCrossEntropyLoss) || last instanceof Softmax || last instanceof Sigmoid) return;
  const wanted = loss instanceof CategoricalCrossEntropyLoss ? 'Softmax' : 'Sigmoid';
  warnOnce(
    model,
    'loss and output',
    `${where}: the ${loss instanceof CategoricalCrossEntropyLoss ? 'categorical ' : ''}cross-entropy loss expects probabilities, but the model ends on ${last.name}; ` +
      `end it on a ${wanted} layer (or use the 'quadratic' loss for a regression)`,
    onWarning,
  );
}

/** Each model's optimizers made from a name: one per name, kept between fit calls. */
const named = new WeakMap<object, Map<string, Optimizer>>();

/**
 * The model's own optimizer of a name, made on first use.
 *
 * @param model - The model.
 * @param name - `'sgd'` or `'adam'`.
 * @param where - The caller, for the message of an unknown name.
 * @returns The optimizer.
 * @throws {@link OptionError} for an unknown name.
 */
export function namedOptimizer(model: object, name: string, where: string): Optimizer {
  let byName = named.get(model);
  if (byName === undefined) named.set(model, (byName = new Map()));
  let optimizer = byName.get(name);
  if (optimizer === undefined) byName.set(name, (optimizer = resolveOptimizer(name as OptimizerName, where)));
  return optimizer;
}

/**
 * The rows `validationSplit` holds out: n·fraction of them (rounded up, as
 * Keras does), chosen by a shuffle with an RNG seeded by the model's seed, and
 * both parts in their original order.
 *
 * @param seed - The model's seed.
 * @param n - The number of rows.
 * @param fraction - The share held out, in (0, 1).
 * @param where - The caller, for messages.
 * @returns The training rows and the validation rows, each ascending.
 * @throws {@link OptionError} for a fraction outside (0, 1) or one that leaves either part empty.
 */
export function splitRows(seed: number, n: number, fraction: unknown, where: string): { training: Uint32Array; validation: Uint32Array } {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new OptionError(`${where}: validationSplit must be a number in (0, 1), got ${describe(fraction)}`);
  }
  const trainingCount = Math.floor(n * (1 - fraction));
  if (trainingCount < 1 || trainingCount === n) {
    throw new OptionError(`${where}: validationSplit ${fraction} of ${n} rows leaves ${trainingCount === n ? 'no validation' : 'no training'} rows`);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  return { training: order.slice(0, trainingCount).sort(), validation: order.slice(trainingCount).sort() };
}

