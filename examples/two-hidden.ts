/**
 * Two hidden layers: [784, 30, 25, 10] sigmoid neurons, quadratic cost, mini-batch
 * SGD with m = 10 and η = 1.3 for 50 epochs, weights and biases from N(0, 1), on
 * the book's 50,000 training images, tested on the 10,000 test images. The
 * reference project reports 95.24%.
 *
 * The model kept is the epoch with the best accuracy on the validation images
 * 50,000–59,999 (the book's validation split); the test set chooses nothing.
 */
import { Dense, SGD, Sequential, Sigmoid } from 'tinydense';
import { bookRun, loadBookData } from './support/book-run.js';
import type { ExampleOptions, ExampleResult } from './support/options.js';

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const data = await loadBookData(options);
  const epochs = options.epochs ?? 50;

  const model = new Sequential(
    [
      new Dense(784, 30, { init: 'nielsen-large' }), new Sigmoid(),
      new Dense(30, 25, { init: 'nielsen-large' }), new Sigmoid(),
      new Dense(25, 10, { init: 'nielsen-large' }), new Sigmoid(),
    ],
    { seed: options.seed ?? 0 },
  );
  const run = bookRun('two-hidden', model, data, epochs, options);

  model.fit(data.x, data.y, { epochs, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 1.3 }), ...run.fitOptions });
  return run.finish();
}
