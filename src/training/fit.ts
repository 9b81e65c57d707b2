/**
 * The training loop behind `Sequential.fit` and `fitAsync`: mini-batch gradient
 * descent, written once as a generator that yields after every batch. `fit`
 * drives it straight through; `fitAsync` hands control back to the event loop
 * between slices of batches.
 *
 * @module
 */
import { accuracy } from '../accuracy.js';
import * as ops from '../backend/ops.js';
import type { Layer, Parameter } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import { checkOption, type Optimizer, type StepContext } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor.js';
import { backwardPass, forwardPass, zeroGradients } from './backprop.js';
import { BatchSource, type Batch } from './batch-source.js';
import type { EpochRecord, History } from './history.js';
import { NonFiniteGuard } from './non-finite-guard.js';
import { training } from './running.js';
import { epochLine } from './verbose.js';
import type { FitPlan } from './options.js';

/**
 * Runs the plan: epoch after epoch until the last, an abort or early stopping.
 * Yields after every mini-batch; returns the history.
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
  const { model, earlyStopping } = plan;
  const run: Run = {
    plan,
    source: new BatchSource(plan.x, plan.y, model.layers[0] as Layer),
    parameters: model.parameters(),
    context: { trainingSetSize: plan.x.shape[0] },
    guard: plan.options.allowNonFinite === true ? undefined : new NonFiniteGuard(model, plan.optimizer),
  };
  const records: EpochRecord[] = [];
  const finish = (stopReason: History['stopReason']): History => {
    earlyStopping?.restore(model);
    const history: History = earlyStopping === undefined ? { epochs: records, stopReason } : { epochs: records, stopReason, bestEpoch: earlyStopping.bestEpoch };
    return plan.split === undefined ? history : { ...history, validationSplit: plan.split };
  };
  for (let epoch = plan.initialEpoch + 1; epoch <= plan.epochs; epoch++) {
    const record = yield* runEpoch(run, epoch);
    if (record === undefined) return finish('aborted');
    records.push(record);
    plan.reporter?.epochEnd(record, epochLine(record, plan.epochs), plan.epochs);
    plan.options.onEpochEnd?.(record);
    if (earlyStopping?.update(record, model) === true) return finish('early-stopping');
  }
  return finish('completed');
}

/** What every step of a run shares. */
interface Run {
  readonly plan: FitPlan;
  readonly source: BatchSource;
  readonly parameters: readonly Parameter[];
  readonly context: StepContext;
  /** The non-finite guard, unless `allowNonFinite`. */
  readonly guard: NonFiniteGuard | undefined;
}

/**
 * One epoch: set the learning rate, draw the permutation of the samples, then
 * train on each mini-batch in turn, then evaluate what the options ask for.
 *
 * @param run - The run.
 * @param epoch - The epoch, from 1.
 * @returns A generator whose return value is the epoch's record, or `undefined` when aborted.
 */
function* runEpoch(run: Run, epoch: number): Generator<void, EpochRecord | undefined, void> {
  const { plan, source, guard } = run;
  const { model, loss, optimizer, options, validation } = plan;
  // Before the schedule and the shuffle: an abort between epochs (or before the
  // call) leaves the learning rate and the RNG where the last epoch left them, so
  // resuming from here, live or from a checkpoint, runs as if never stopped.
  const aborted = (): boolean => options.signal?.aborted === true;
  if (aborted()) return undefined;
  const started = performance.now();
  const n = source.size;
  const m = plan.batchSize;
  if (options.learningRateSchedule !== undefined) {
    optimizer.learningRate = checkOption(`${options.learningRateSchedule.name || 'learningRateSchedule'}(${epoch})`, 'the learning rate', options.learningRateSchedule(epoch), 0);
  }
  guard?.startEpoch(); // before the shuffle: a failure goes back to the RNG state before it
  // a full batch is the whole set in its stored order
  source.startEpoch(plan.shuffle && m < n ? model.rng : undefined);
  let lossSum = 0;
  for (let start = 0, batch = 0; start < n; start += m, batch++) {
    if (batch > 0 && aborted()) return undefined;
    const size = Math.min(m, n - start);
    const batchLoss = trainBatch(run, source.batch(start, size), epoch, batch);
    lossSum += batchLoss * size;
    if (plan.reporter?.batchEnd !== undefined || options.onBatchEnd !== undefined) {
      // made only for a listener: trained a sample at a time, every allocation shows
      const batchRecord = { epoch, batch, size, loss: batchLoss };
      plan.reporter?.batchEnd?.(batchRecord, Math.ceil(n / m));
      options.onBatchEnd?.(batchRecord);
    }
    yield;
  }
  let record: EpochRecord = { epoch, loss: lossSum / n, seconds: 0, learningRate: optimizer.learningRate };
  if (options.trainingMetrics === true) {
    const predicted = forwardPass(model.layers, plan.x);
    record = { ...record, trainLoss: loss.value(predicted, plan.y), trainAccuracy: accuracy(predicted, plan.y) };
  }
  if (validation !== undefined) {
    const predicted = forwardPass(model.layers, validation[0]);
    record = { ...record, valLoss: loss.value(predicted, validation[1]), valAccuracy: accuracy(predicted, validation[1]) };
  }
  return { ...record, seconds: (performance.now() - started) / 1000 };
}

/**
 * One step of gradient descent on one mini-batch: zero the gradients, feed
 * forward, backpropagate (BP1–BP4), and let the optimizer update the parameters.
 *
 * @param run - The run.
 * @param batch - The mini-batch.
 * @param epoch - The epoch, from 1.
 * @param index - The batch's index in the epoch, from 0.
 * @returns The batch's mean loss, before the update.
 */
function trainBatch(run: Run, batch: Batch, epoch: number, index: number): number {
  const { plan, parameters, guard } = run;
  return descend(plan.model.layers, parameters, run.source.forwardFirst(batch), batch.y, plan.loss, plan.optimizer, run.context, guard, epoch, index);
}

/**
 * The step itself, shared by `fit` and `trainOnBatch`: from the first layer's
 * output (in training mode), the rest of the forward pass, the loss, BP1–BP4 and
 * the optimizer's update, each checked by the guard when there is one. The
 * gradients are zeroed here: a forward pass never touches them.
 *
 * @param layers - The model's layers.
 * @param parameters - Their parameters.
 * @param first - The first layer's output for the batch.
 * @param y - The batch's targets.
 * @param loss - The loss.
 * @param optimizer - The optimizer.
 * @param context - What the optimizer is told.
 * @param guard - The non-finite guard, or `undefined` (`allowNonFinite`).
 * @param epoch - The epoch, from 1, for the guard's messages.
 * @param index - The batch, from 0, for the guard's messages.
 * @returns The batch's mean loss, before the update.
 */
export function descend(
  layers: readonly Layer[],
  parameters: readonly Parameter[],
  first: Tensor,
  y: Tensor,
  loss: Loss,
  optimizer: Optimizer,
  context: StepContext,
  guard: NonFiniteGuard | undefined,
  epoch: number,
  index: number,
): number {
  zeroGradients(parameters);
  let predicted = first;
  for (let l = 0; l < layers.length; l++) {
    if (l > 0) predicted = (layers[l] as Layer).forward(predicted, true);
    guard?.checkOutput(predicted, l, epoch, index);
  }
  const batchLoss = loss.value(predicted, y);
  guard?.checkLoss(batchLoss, epoch, index);
  backwardPass(layers, loss, predicted, y, false);
  const stepped = optimizer.step(parameters, context); // not inside guard?.(…): without a guard it must still run
  guard?.checkStep(stepped, epoch, index);
  return batchLoss;
}

/**
 * Runs a plan to the end, synchronously, with its pool lent to the operations.
 *
 * @param plan - A plan from {@link planFit}.
 * @returns Its history.
 */
export function drainSync(plan: FitPlan): History {
  const steps = runFit(plan);
  training.add(plan.model);
  try {
    return ops.withThreads(plan.threads, () => {
      for (;;) {
        const r = steps.next();
        if (r.done === true) return r.value;
      }
    });
  } finally {
    training.delete(plan.model);
  }
}

/** How long `fitAsync` computes before giving the event loop a turn, in milliseconds. */
export const ASYNC_SLICE_MS = 16;

/**
 * Runs a plan to the end, yielding to the event loop (a macrotask, so rendering and
 * input are handled) every {@link ASYNC_SLICE_MS} of work. The operations hold
 * the plan's pool only while a step runs.
 *
 * @param plan - A plan from {@link planFit}.
 * @returns A promise of its history.
 */
export async function drainAsync(plan: FitPlan): Promise<History> {
  const steps = runFit(plan);
  const step = (): IteratorResult<void, History> => steps.next();
  training.add(plan.model);
  try {
    let sliceStart = performance.now();
    for (;;) {
      const r = ops.withThreads(plan.threads, step);
      if (r.done === true) return r.value;
      if (performance.now() - sliceStart >= ASYNC_SLICE_MS) {
        await nextMacrotask();
        sliceStart = performance.now();
      }
    }
  } finally {
    training.delete(plan.model);
  }
}

/** Resolves on a fresh macrotask: a `MessageChannel` message where there is one (browsers clamp nested timers, a channel message is not), else `setTimeout(0)`. */
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
