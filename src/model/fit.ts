/**
 * The training loop behind `Sequential.fit` and `fitAsync`: mini-batch gradient
 * descent, written once as a generator that yields after every batch. `fit`
 * drives it straight through; `fitAsync` hands control back to the event loop
 * between slices of batches.
 *
 * @module
 */
import { NonFiniteError, OptionError, describe } from '../errors.js';
import type { Loss } from '../losses/loss.js';
import { checkOption, type Optimizer } from '../optimizers/optimizer.js';
import { SparseRows } from '../sparse-rows.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';
import { accuracy } from '../accuracy.js';
import { backwardPass, forwardPass, zeroGradients } from './backprop.js';
import type { Layer } from '../layers/layer.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { allFinite, parametersFinite } from './non-finite.js';
import type { LearningRateSchedule } from './schedules.js';
import { resolveLoss, resolveOptimizer, type LossName, type OptimizerName } from './names.js';
import type { Sequential } from './sequential.js';
import type { ThreadPool } from '../threads/thread-pool.js';
import { checkThreads, withThreads } from './with-threads.js';
import { checkFinite, checkRows, checkWidth, warnIfOutOfRange } from './validate.js';

/** Options of {@link Sequential.fit} and {@link Sequential.fitAsync}. */
export interface FitOptions {
  /** Passes over the training set, an integer ≥ 0. */
  readonly epochs: number;
  /** Samples per mini-batch (m), a positive integer, or `'full'` for full-batch gradient descent. */
  readonly batchSize: number | 'full';
  /** The cost function, an instance or a {@link LossName}. */
  readonly loss: Loss | LossName;
  /** The update rule, an instance or an {@link OptimizerName}. */
  readonly optimizer: Optimizer | OptimizerName;
  /** Reshuffle the training set (with the model's seeded RNG) before each epoch (default true). */
  readonly shuffle?: boolean;
  /** `[x, y]` evaluated after each epoch; adds `valLoss` and `valAccuracy` to each record. */
  readonly validationData?: readonly [TensorLike, TensorLike];
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
  /** Receives warnings, such as inputs far outside the range the model was trained on (default `console.warn`). */
  readonly onWarning?: (message: string) => void;
  /**
   * A {@link ThreadPool} to share big batches with (full-batch training; mini-batches
   * under 128 rows stay on this thread). Results are bit-identical without it.
   */
  readonly threads?: ThreadPool;
}

/** What happened in one epoch. */
export interface EpochRecord {
  /** The epoch's number, from 1. */
  readonly epoch: number;
  /** The mean training loss over the epoch's batches, each measured before its update. */
  readonly loss: number;
  /** Wall time of the epoch, validation included, in seconds. */
  readonly seconds: number;
  /** The loss on `validationData` after the epoch. */
  readonly valLoss?: number;
  /** The accuracy on `validationData` after the epoch (see {@link accuracy}). */
  readonly valAccuracy?: number;
  /** The loss on the whole training set after the epoch (with `trainingMetrics`). */
  readonly trainLoss?: number;
  /** The accuracy on the whole training set after the epoch (with `trainingMetrics`). */
  readonly trainAccuracy?: number;
  /** The optimizer's learning rate during the epoch. */
  readonly learningRate: number;
}

/** What happened in one mini-batch. */
export interface BatchRecord {
  /** The epoch's number, from 1. */
  readonly epoch: number;
  /** The batch's index within the epoch, from 0. */
  readonly batch: number;
  /** The number of samples in the batch. */
  readonly size: number;
  /** The batch's mean loss, before its update. */
  readonly loss: number;
}

/** The result of a training run. */
export interface History {
  /** One record per completed epoch. */
  readonly epochs: readonly EpochRecord[];
  /** `'completed'`; `'aborted'` when the signal stopped training; `'early-stopping'` when the monitored figure stopped improving. */
  readonly stopReason: 'completed' | 'aborted' | 'early-stopping';
  /** With early stopping: the best epoch (whose weights the model ends with under `restoreBest`). */
  readonly bestEpoch?: number;
}

/** A validated training run, ready to start. */
export interface FitPlan {
  readonly model: Sequential;
  readonly x: Tensor;
  readonly y: Tensor;
  readonly batchSize: number;
  readonly epochs: number;
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly shuffle: boolean;
  readonly validation: readonly [Tensor, Tensor] | undefined;
  readonly initialEpoch: number;
  readonly earlyStopping: EarlyStopping | undefined;
  readonly options: FitOptions;
  /** The pool lent to the layers while each step runs. */
  readonly threads: ThreadPool | undefined;
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
export function planFit(model: Sequential, xLike: TensorLike, yLike: TensorLike, options: FitOptions, where: string): FitPlan {
  if (typeof options !== 'object' || options === null) {
    throw new OptionError(`${where}: options must be an object like { epochs, batchSize, loss, optimizer }, got ${describe(options)}`);
  }
  const { epochs, batchSize } = options;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
    throw new OptionError(`${where}: epochs must be an integer ≥ 0, got ${describe(epochs)}`);
  }
  if (batchSize !== 'full' && (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1)) {
    throw new OptionError(`${where}: batchSize must be a positive integer or 'full', got ${describe(batchSize)}`);
  }
  const loss = resolveLoss(options.loss, where);
  const optimizer = resolveOptimizer(options.optimizer, where);
  const [x, y, xRange] = checkData(model, xLike, yLike, where, 'x', 'y');
  if (x.shape[0] === 0) throw new OptionError(`${where}: the training set is empty`);
  let validation: readonly [Tensor, Tensor] | undefined;
  if (options.validationData !== undefined) {
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
  const earlyStopping = options.earlyStopping === undefined ? undefined : new EarlyStopping(options.earlyStopping, validation !== undefined, where);
  loss.validateTarget?.(y, `${where} y`);
  if (validation !== undefined) loss.validateTarget?.(validation[1], `${where} validationData y`);
  warnIfOutOfRange(model, xRange, where, options.onWarning);
  const size = batchSize === 'full' ? x.shape[0] : Math.min(batchSize, x.shape[0]);
  return { model, x, y, batchSize: size, epochs, loss, optimizer, shuffle: options.shuffle ?? true, validation, initialEpoch, earlyStopping, options, threads };
}

/**
 * Converts an (x, y) pair to tensors of a model's dtype and checks their widths and
 * row counts (not their values).
 *
 * @param model - The model.
 * @param xLike - Inputs.
 * @param yLike - Targets.
 * @param where - The caller.
 * @param xName - How to call x in messages.
 * @param yName - How to call y in messages.
 * @returns x and y as tensors.
 */
export function checkShapes(model: Sequential, xLike: TensorLike, yLike: TensorLike, where: string, xName: string, yName: string): [Tensor, Tensor] {
  const x = toTensor(xLike, model.dtype, `${where} ${xName}`);
  const y = toTensor(yLike, model.dtype, `${where} ${yName}`);
  checkWidth(x, model.inputWidth, where, xName);
  checkWidth(y, model.outputWidth, where, yName);
  checkRows(x, y, where);
  return [x, y];
}

/**
 * Converts and checks an (x, y) pair for a model: widths, row counts, finiteness.
 *
 * @param model - The model.
 * @param xLike - Inputs.
 * @param yLike - Targets.
 * @param where - The caller.
 * @param xName - How to call x in messages.
 * @param yName - How to call y in messages.
 * @returns x and y as tensors of the model's dtype, and x's smallest and largest value.
 */
export function checkData(
  model: Sequential,
  xLike: TensorLike,
  yLike: TensorLike,
  where: string,
  xName: string,
  yName: string,
): [Tensor, Tensor, readonly [number, number]] {
  const [x, y] = checkShapes(model, xLike, yLike, where, xName, yName);
  const xRange = checkFinite(x, where, xName);
  checkFinite(y, where, yName);
  return [x, y, xRange];
}

/**
 * Runs the plan: for each epoch, draw a permutation of the samples, then for each
 * mini-batch zero the gradients, feed forward, backpropagate and let the optimizer
 * step. Yields after every mini-batch; returns the history.
 *
 * Each epoch's permutation depends only on the RNG's state at the epoch's start,
 * so a run resumed from a checkpoint (weights, optimizer state, RNG state) continues
 * exactly as the uninterrupted run would have.
 *
 * @param plan - A plan from {@link planFit}.
 * @returns A generator whose return value is the {@link History}.
 * @throws {@link NonFiniteError} when NaN or Infinity appears (unless `allowNonFinite`).
 */
export function* runFit(plan: FitPlan): Generator<void, History, void> {
  const { model, x, y, epochs, loss, optimizer, validation, options, earlyStopping } = plan;
  const n = x.shape[0];
  const m = plan.batchSize;
  const fullBatch = m === n;
  const layers = model.layers;
  const parameters = model.parameters();
  const guard = options.allowNonFinite !== true;
  const first = layers[0] as Layer;
  // Mostly-zero float32 inputs (81% of MNIST's pixels are 0) go to a first layer that
  // takes sparse rows as pairs: a batch is then gathered as ~150 (column, value) pairs
  // per image instead of 784 values, and never scanned for zeros again.
  const forwardRows = first.forwardRows?.bind(first);
  const sparse = forwardRows !== undefined && x.dtype === 'float32' ? SparseRows.fromDense(x, 0.5) : undefined;
  const order = new Uint32Array(n);
  // Allocated once per batch shape (the last batch of an epoch may be shorter) and reused.
  const batchBuffers = new Map<number, { x?: Tensor; y: Tensor }>();
  const records: EpochRecord[] = [];
  const context = { trainingSetSize: n };
  const nonFinite = (epoch: number, batch: number, where: string): NonFiniteError =>
    new NonFiniteError(
      `Sequential.fit: a non-finite value at epoch ${epoch}, batch ${batch}, first in ${where}; the model keeps its weights from before this batch. ` +
        'Try a smaller learning rate, or pass allowNonFinite: true to continue anyway.',
      epoch,
      batch,
      where,
    );
  const finish = (stopReason: History['stopReason']): History => {
    earlyStopping?.restore(model);
    return earlyStopping === undefined ? { epochs: records, stopReason } : { epochs: records, stopReason, bestEpoch: earlyStopping.bestEpoch };
  };
  for (let epoch = plan.initialEpoch + 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    if (options.learningRateSchedule !== undefined) {
      optimizer.learningRate = checkOption(`${options.learningRateSchedule.name || 'learningRateSchedule'}(${epoch})`, 'the learning rate', options.learningRateSchedule(epoch), 0);
    }
    for (let i = 0; i < n; i++) order[i] = i;
    if (plan.shuffle && !fullBatch) model.rng.shuffle(order);
    // The last finite state we can return to if a step itself overflows: weights and optimizer state.
    const epochStart = guard ? model.getWeights() : undefined;
    const optimizerStart = guard ? optimizer.getState?.(parameters) : undefined;
    let lossSum = 0;
    for (let start = 0, batch = 0; start < n; start += m, batch++) {
      if (options.signal?.aborted === true) return finish('aborted');
      const size = Math.min(m, n - start);
      const rows = order.subarray(start, start + size);
      let xb = x;
      let yb = y;
      if (!fullBatch) {
        let buffers = batchBuffers.get(size);
        if (buffers === undefined) {
          buffers = { y: Tensor.zeros([size, y.shape[1]], y.dtype) };
          batchBuffers.set(size, buffers);
        }
        if (sparse === undefined) xb = x.gatherRows(rows, (buffers.x ??= Tensor.zeros([size, x.shape[1]], x.dtype)));
        yb = y.gatherRows(rows, buffers.y);
      }
      zeroGradients(parameters);
      // Feed forward, checking each layer's output (activation-sized: cheap) so a
      // non-finite value is caught before any update, with the layer named.
      let predicted = sparse !== undefined && forwardRows !== undefined ? forwardRows(sparse, rows) : first.forward(xb);
      for (let l = 0; l < layers.length; l++) {
        if (l > 0) predicted = (layers[l] as Layer).forward(predicted);
        if (guard && !allFinite(predicted.data)) throw nonFinite(epoch, batch, `the output of layer ${l} (${(layers[l] as Layer).name})`);
      }
      const batchLoss = loss.value(predicted, yb);
      if (guard && !Number.isFinite(batchLoss)) throw nonFinite(epoch, batch, `the loss (${batchLoss})`);
      backwardPass(layers, loss, predicted, yb, false);
      // Built-in optimizers report whether what they stored is finite; others are scanned.
      const stepped = optimizer.step(parameters, context);
      if (guard && (stepped === false || (stepped !== true && !parametersFinite(parameters)))) {
        model.setWeights(epochStart as Tensor[]);
        if (optimizerStart !== undefined) optimizer.setState?.(parameters, optimizerStart);
        throw new NonFiniteError(
          `Sequential.fit: the update at epoch ${epoch}, batch ${batch} made a parameter non-finite (a gradient or the step overflowed, ` +
            `though every layer's output was finite); the model and optimizer are restored to their state at the start of epoch ${epoch}. Try a smaller learning rate.`,
          epoch,
          batch,
          'the optimizer step',
        );
      }
      lossSum += batchLoss * size;
      options.onBatchEnd?.({ epoch, batch, size, loss: batchLoss });
      yield;
    }
    let record: EpochRecord = { epoch, loss: lossSum / n, seconds: 0, learningRate: optimizer.learningRate };
    if (options.trainingMetrics === true) {
      const predicted = forwardPass(layers, x);
      record = { ...record, trainLoss: loss.value(predicted, y), trainAccuracy: accuracy(predicted, y) };
    }
    if (validation !== undefined) {
      const predicted = forwardPass(layers, validation[0]);
      record = { ...record, valLoss: loss.value(predicted, validation[1]), valAccuracy: accuracy(predicted, validation[1]) };
    }
    record = { ...record, seconds: (performance.now() - started) / 1000 };
    records.push(record);
    options.onEpochEnd?.(record);
    if (earlyStopping?.update(record, model) === true) return finish('early-stopping');
  }
  return finish('completed');
}

/**
 * Runs a plan to the end, synchronously, with its pool lent to the layers.
 *
 * @param plan - A plan from {@link planFit}.
 * @returns Its history.
 */
export function drainSync(plan: FitPlan): History {
  const steps = runFit(plan);
  return withThreads(plan.model.layers, plan.threads, () => {
    for (;;) {
      const r = steps.next();
      if (r.done === true) return r.value;
    }
  });
}

/** How long `fitAsync` computes before giving the event loop a turn, in milliseconds. */
export const ASYNC_SLICE_MS = 16;

/**
 * Runs a plan to the end, yielding to the event loop (a macrotask, so rendering and
 * input are handled) every {@link ASYNC_SLICE_MS} of work. The layers hold the
 * plan's pool only while a step runs.
 *
 * @param plan - A plan from {@link planFit}.
 * @returns A promise of its history.
 */
export async function drainAsync(plan: FitPlan): Promise<History> {
  const steps = runFit(plan);
  const step = (): IteratorResult<void, History> => steps.next();
  let sliceStart = performance.now();
  for (;;) {
    const r = withThreads(plan.model.layers, plan.threads, step);
    if (r.done === true) return r.value;
    if (performance.now() - sliceStart >= ASYNC_SLICE_MS) {
      await nextMacrotask();
      sliceStart = performance.now();
    }
  }
}

/** Resolves on a fresh macrotask: a `MessageChannel` message where there is one (no 4 ms timer clamping), else `setTimeout(0)`. */
function nextMacrotask(): Promise<void> {
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (): void => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
