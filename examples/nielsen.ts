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
import { Dense, SGD, Sequential, Sigmoid } from 'tinydense';
import { bookRun, loadBookData } from './support/book-run.js';
import type { ExampleOptions, ExampleResult } from './support/options.js';

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const data = await loadBookData(options);
  const epochs = options.epochs ?? 30;

  // net = network.Network([784, 30, 10])
  const model = new Sequential(
    [new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10, { init: 'nielsen-large' }), new Sigmoid()],
    { seed: options.seed ?? 0 },
  );
  const run = bookRun('nielsen', model, data, epochs, options);

  // net.SGD(training_data, 30, 10, 3.0, test_data=test_data)
  model.fit(data.x, data.y, { epochs, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 3.0 }), ...run.fitOptions });
  return run.finish();
}
