/**
 * Keeps the weights of the epoch with the best validation accuracy and restores
 * them at the end: the book's use of its 10,000-image validation split, so the
 * test set is never used to choose anything.
 */
import type { EpochRecord, Sequential, Tensor } from 'tinydense';

export interface BestEpoch {
  /** Pass as (or call from) `onEpochEnd`. */
  readonly onEpochEnd: (record: EpochRecord) => void;
  /** Restores the best epoch's weights and returns that epoch and its validation accuracy. */
  restore(): { epoch: number; valAccuracy: number };
}

export function bestEpoch(model: Sequential): BestEpoch {
  let best = { epoch: 0, valAccuracy: -1 };
  let weights: Tensor[] = model.getWeights();
  return {
    onEpochEnd(record) {
      if (record.valAccuracy !== undefined && record.valAccuracy > best.valAccuracy) {
        best = { epoch: record.epoch, valAccuracy: record.valAccuracy };
        weights = model.getWeights();
      }
    },
    restore() {
      model.setWeights(weights);
      return best;
    },
  };
}
