/**
 * `npm run fingerprints`: trains the networks of the bench workloads (W1–W3) and of
 * the five examples on a slice of MNIST, in float32 and float64, on one thread and
 * (where the workload shares work) on two, and prints a SHA-256 of each model's
 * trained weights (W3: of its predictions). A refactor of the kernels or the
 * training loop must leave every line unchanged: the fingerprints say "bit for
 * bit" without trusting any one test.
 *
 * Usage: `npm run fingerprints [-- --rows N]` (default 6,000 training rows).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Adam, Dense, ReLU, SGD, Sequential, Sigmoid, Softmax, Tensor, oneHot, type DType, type Layer } from 'tinydense';
import { loadMnist, startThreads } from 'tinydense/node';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '6000' } } });
const rows = Number(values.rows);
const { train, test } = await loadMnist();
const pool = await startThreads(2);

function hash(arrays: readonly Tensor[]): string {
  const h = createHash('sha256');
  for (const t of arrays) h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return h.digest('hex').slice(0, 16);
}

type Build = () => Layer[];
const sigmoidNet = (sizes: number[]): Build => () =>
  sizes.slice(1).flatMap((n, i) => [new Dense(sizes[i] as number, n, { init: 'nielsen-large' }), new Sigmoid()]);
const reluSoftmax = (hidden: number): Build => () => [new Dense(784, hidden, { init: 'he' }), new ReLU(), new Dense(hidden, 10, { init: 'he' }), new Softmax()];

interface Case {
  readonly name: string;
  readonly build: Build;
  readonly epochs: number;
  readonly batchSize: number | 'full';
  readonly loss: 'quadratic' | 'categorical-cross-entropy';
  readonly optimizer: () => SGD | Adam;
  readonly threaded: boolean;
}

const CASES: readonly Case[] = [
  { name: 'W1 / nielsen', build: sigmoidNet([784, 30, 10]), epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: () => new SGD({ learningRate: 3 }), threaded: false },
  { name: 'two-hidden', build: sigmoidNet([784, 30, 25, 10]), epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: () => new SGD({ learningRate: 1.3 }), threaded: false },
  { name: 'W2 / full-batch', build: reluSoftmax(64), epochs: 5, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: () => new SGD({ learningRate: 0.5 }), threaded: true },
  { name: 'kaggle-csv', build: reluSoftmax(10), epochs: 5, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: () => new SGD({ learningRate: 0.25 }), threaded: true },
  { name: 'image-folder', build: reluSoftmax(128), epochs: 1, batchSize: 1, loss: 'categorical-cross-entropy', optimizer: () => new SGD({ learningRate: 0.01 }), threaded: false },
  { name: 'adam', build: reluSoftmax(32), epochs: 1, batchSize: 64, loss: 'categorical-cross-entropy', optimizer: () => new Adam({ learningRate: 1e-3 }), threaded: false },
  { name: 'sgd momentum l2', build: sigmoidNet([784, 30, 10]), epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: () => new SGD({ learningRate: 0.5, momentum: 0.9, l2: 5 }), threaded: false },
];

const lines: string[] = [];
for (const dtype of ['float32', 'float64'] as DType[]) {
  const x = Tensor.from(train.images.sliceRows(0, rows).toArray(), dtype);
  const y = oneHot(train.labels.subarray(0, rows), 10);
  for (const c of CASES) {
    for (const threads of c.threaded ? [undefined, pool] : [undefined]) {
      const model = new Sequential(c.build(), { seed: 0, dtype });
      const n = c.name === 'image-folder' ? Math.min(rows, 2000) : rows;
      model.fit(x.sliceRows(0, n), y.sliceRows(0, n), {
        epochs: c.epochs, batchSize: c.batchSize, loss: c.loss, optimizer: c.optimizer(), verbose: 0, ...(threads === undefined ? {} : { threads }),
      });
      lines.push(`${dtype} ${threads === undefined ? '1T' : '2T'} ${c.name.padEnd(16)} ${hash(model.getWeights())}`);
    }
  }
  // W3: predict the test images with the W1 network (trained above on one thread), one and two threads.
  const model = new Sequential(sigmoidNet([784, 30, 10])(), { seed: 0, dtype });
  model.fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 3 }), verbose: 0 });
  const testX = Tensor.from(test.images.toArray(), dtype);
  lines.push(`${dtype} 1T ${'W3 predict'.padEnd(16)} ${hash([model.predict(testX)])}`);
  lines.push(`${dtype} 2T ${'W3 predict'.padEnd(16)} ${hash([model.predict(testX, { threads: pool })])}`);
}
await pool.close();
console.log(lines.join('\n'));
