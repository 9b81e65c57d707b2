/**
 * What the two book-style examples (nielsen, two-hidden) share: the book's MNIST
 * split (training images 0–49,999, validation 50,000–59,999, the 10,000 test
 * images), keeping the epoch with the best validation accuracy, and reporting.
 * Each example still builds its own network and calls `model.fit` itself.
 */
import { oneHot, type FitOptions, type Sequential, type Tensor } from 'tinydense';
import { loadMnist } from 'tinydense/node';
import { bestEpoch } from './best-epoch.js';
import type { ExampleOptions, ExampleResult } from './options.js';
import { reporter, type LabelledSet } from './report.js';

export interface BookData {
  /** The training images (the first 50,000, or `--train N`). */
  readonly x: Tensor;
  /** Their one-hot labels. */
  readonly y: Tensor;
  readonly test: LabelledSet;
  readonly validation: readonly [Tensor, Tensor];
}

export async function loadBookData(options: ExampleOptions): Promise<BookData> {
  const { train, test } = await loadMnist();
  const n = options.trainSize ?? 50_000;
  const testSize = options.testSize ?? 10_000;
  return {
    x: train.images.sliceRows(0, n),
    y: oneHot(train.labels.subarray(0, n), 10),
    test: { images: test.images.sliceRows(0, testSize), labels: test.labels.subarray(0, testSize) },
    validation: [train.images.sliceRows(50_000, 60_000), oneHot(train.labels.subarray(50_000, 60_000), 10)],
  };
}

/** The fit options that validate, keep the best epoch and report; `finish` restores that epoch and prints the RESULT line. */
export function bookRun(
  name: string,
  model: Sequential,
  data: BookData,
  epochs: number,
  options: ExampleOptions,
): {
  readonly fitOptions: Pick<FitOptions, 'validationData' | 'onBatchEnd' | 'onEpochEnd' | 'verbose'>;
  /** Test accuracy after each epoch (for charts; nothing is chosen by it). */
  readonly accuracies: readonly number[];
  /** Validation accuracy after each epoch. */
  readonly validation: readonly number[];
  finish(): ExampleResult;
} {
  const report = reporter({ name, model, batchesPerEpoch: Math.ceil(data.x.shape[0] / 10), epochs, test: data.test, options });
  const best = bestEpoch(model);
  const validation: number[] = [];
  return {
    accuracies: report.accuracies,
    validation,
    fitOptions: {
      verbose: 0, // the reporter prints each epoch
      validationData: data.validation,
      onBatchEnd: report.onBatchEnd,
      onEpochEnd: (record) => {
        validation.push(record.valAccuracy ?? NaN);
        best.onEpochEnd(record);
        report.onEpochEnd(record);
      },
    },
    finish() {
      const kept = best.restore();
      if (options.quiet !== true) console.log(`kept epoch ${kept.epoch} (validation accuracy ${kept.valAccuracy.toFixed(4)})`);
      return report.finish();
    },
  };
}
