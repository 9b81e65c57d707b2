/**
 * What a training run reports: one record per epoch and per batch, and the history.
 *
 * @module
 */

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
  /** The accuracy on `validationData` after the epoch (see the `accuracy` function). */
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
  /** With `validationSplit`: which rows were held out. */
  readonly validationSplit?: ValidationSplit;
}

/** The rows a `validationSplit` held out of training. */
export interface ValidationSplit {
  /** The fraction asked for. */
  readonly fraction: number;
  /** The held-out rows' indices in the `x` given to `fit`, ascending. */
  readonly validationRows: readonly number[];
}
