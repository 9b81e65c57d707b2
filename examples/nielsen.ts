/**
 * Nielsen's network from chapter 1 of "Neural Networks and Deep Learning":
 * [784, 30, 10] sigmoid neurons, quadratic cost, mini-batch SGD with m = 10 and
 * η = 3.0 for 30 epochs, weights and biases drawn from N(0, 1). Trained on the
 * first 50,000 MNIST training images (the book's split; the other 10,000 are its
 * validation set), tested on the 10,000 test images. The book reports about 95%.
 *
 * The model kept is the epoch with the best accuracy on the validation images
 * 50,000–59,999, as the book uses its validation set; the test set chooses nothing.
 */
import { Dense, SGD, Sequential, Sigmoid, oneHot } from 'tinydense';
import { loadMnist } from 'tinydense/node';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { bestEpoch } from './support/best-epoch.js';
import { reporter } from './support/report.js';

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const { train, test } = await loadMnist();
  const n = options.trainSize ?? 50_000;
  const epochs = options.epochs ?? 30;
  const testSet = { images: test.images.sliceRows(0, options.testSize ?? 10_000), labels: test.labels.subarray(0, options.testSize ?? 10_000) };

  // net = network.Network([784, 30, 10])
  const model = new Sequential(
    [new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()],
    { seed: options.seed ?? 0 },
  );
  const report = reporter({ name: 'nielsen', model, batchesPerEpoch: Math.ceil(n / 10), epochs, test: testSet, options });

  // net.SGD(training_data, 30, 10, 3.0, test_data=test_data)
  const best = bestEpoch(model);
  const validation = [train.images.sliceRows(50_000, 60_000), oneHot(train.labels.subarray(50_000, 60_000), 10)] as const;
  model.fit(train.images.sliceRows(0, n), oneHot(train.labels.subarray(0, n), 10), {
    epochs,
    batchSize: 10,
    loss: 'quadratic',
    optimizer: new SGD({ learningRate: 3.0 }),
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
