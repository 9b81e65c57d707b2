/**
 * Two hidden layers: [784, 30, 25, 10] sigmoid neurons, quadratic cost, mini-batch
 * SGD with m = 10 and η = 1.3 for 50 epochs, weights and biases from N(0, 1), on
 * the book's 50,000 training images, tested on the 10,000 test images. The
 * reference project reports 95.24%.
 *
 * The model kept is the epoch with the best accuracy on the validation images
 * 50,000–59,999 (the book's validation split); the test set chooses nothing.
 */
import { Dense, SGD, Sequential, Sigmoid, oneHot } from 'tinydense';
import { loadMnist } from 'tinydense/node';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { bestEpoch } from './support/best-epoch.js';
import { reporter } from './support/report.js';

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const { train, test } = await loadMnist();
  const n = options.trainSize ?? 50_000;
  const epochs = options.epochs ?? 50;
  const testSet = { images: test.images.sliceRows(0, options.testSize ?? 10_000), labels: test.labels.subarray(0, options.testSize ?? 10_000) };

  const model = new Sequential(
    [
      new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(),
      new Dense(30, 25, { init: 'nielsen-large' }), new Sigmoid(),
      new Dense(25, 10, { init: 'nielsen-large' }), new Sigmoid(),
    ],
    { seed: options.seed ?? 0 },
  );
  const report = reporter({ name: 'two-hidden', model, batchesPerEpoch: Math.ceil(n / 10), epochs, test: testSet, options });

  const best = bestEpoch(model);
  const validation = [train.images.sliceRows(50_000, 60_000), oneHot(train.labels.subarray(50_000, 60_000), 10)] as const;
  model.fit(train.images.sliceRows(0, n), oneHot(train.labels.subarray(0, n), 10), {
    epochs,
    batchSize: 10,
    loss: 'quadratic',
    optimizer: new SGD({ learningRate: 1.3 }),
    validationData: validation,
    onBatchEnd: report.onBatchEnd,
    onEpochEnd: (record) => {
      best.onEpochEnd(record);
      report.onEpochEnd(record);
    },
  });
  const kept = best.restore();
  if (options.quiet !== true) console.log(`kept epoch ${kept.epoch} (validation accuracy ${kept.valAccuracy.toFixed(4)})`);
  return report.finish();
}
