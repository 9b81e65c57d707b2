/**
 * Early stopping: end training when a monitored figure stops improving, and
 * optionally go back to the best epoch's weights.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { EpochRecord } from './history.js';
import type { Trainable } from './trainable.js';

/** Options of early stopping (`fit`'s `earlyStopping`). */
export interface EarlyStoppingOptions {
  /** The figure watched: `'valLoss'` and `'loss'` should fall, `'valAccuracy'` should rise. */
  readonly monitor: 'valLoss' | 'valAccuracy' | 'loss';
  /** Epochs without improvement before training stops, an integer ≥ 1. */
  readonly patience: number;
  /** The smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** End with the weights of the best epoch rather than the last (default false). */
  readonly restoreBest?: boolean;
}

/** Tracks the monitored figure across epochs for one training run. */
export class EarlyStopping {
  /** The best epoch so far (0 before the first). */
  bestEpoch = 0;
  private best: number;
  private wait = 0;
  private bestWeights: Tensor[] | undefined;
  private readonly maximize: boolean;

  /**
   * @param options - See {@link EarlyStoppingOptions}.
   * @param hasValidation - Whether `fit` has validation data (needed for `val*` monitors).
   * @param where - The caller, for messages.
   * @throws {@link OptionError} for bad options or a `val*` monitor without validation data.
   */
  constructor(
    private readonly options: EarlyStoppingOptions,
    hasValidation: boolean,
    where: string,
  ) {
    if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: earlyStopping must be an object, got ${describe(options)}`);
    if (!['valLoss', 'valAccuracy', 'loss'].includes(options.monitor)) {
      throw new OptionError(`${where}: earlyStopping.monitor must be 'valLoss', 'valAccuracy' or 'loss', got ${describe(options.monitor)}`);
    }
    if (options.monitor !== 'loss' && !hasValidation) {
      throw new OptionError(`${where}: earlyStopping.monitor '${options.monitor}' needs validationData`);
    }
    if (!Number.isInteger(options.patience) || options.patience < 1) {
      throw new OptionError(`${where}: earlyStopping.patience must be an integer ≥ 1, got ${describe(options.patience)}`);
    }
    const minDelta = options.minDelta ?? 0;
    if (!Number.isFinite(minDelta) || minDelta < 0) throw new OptionError(`${where}: earlyStopping.minDelta must be a finite number ≥ 0, got ${describe(minDelta)}`);
    this.maximize = options.monitor === 'valAccuracy';
    this.best = this.maximize ? -Infinity : Infinity;
  }

  /**
   * Records an epoch's figures.
   *
   * @param record - The epoch's record.
   * @param model - The model, whose weights are kept when the epoch is the best.
   * @returns True when training should stop.
   */
  update(record: EpochRecord, model: Trainable): boolean {
    const value = record[this.options.monitor] as number;
    const delta = this.options.minDelta ?? 0;
    const improved = this.maximize ? value > this.best + delta : value < this.best - delta;
    if (improved) {
      this.best = value;
      this.bestEpoch = record.epoch;
      this.wait = 0;
      if (this.options.restoreBest === true) this.bestWeights = model.getWeights();
      return false;
    }
    this.wait++;
    return this.wait >= this.options.patience;
  }

  /**
   * Puts the best epoch's weights back, when `restoreBest` asked for it.
   *
   * @param model - The model.
   */
  restore(model: Trainable): void {
    if (this.bestWeights !== undefined) model.setWeights(this.bestWeights);
  }
}
