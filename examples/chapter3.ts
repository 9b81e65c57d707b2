/**
 * Chapter 3 of Nielsen's book, reproduced: the same [784, n, 10] sigmoid network
 * improved step by step, each run beside the figure the book reports.
 *
 *   ch3-ce-30       cross-entropy, 30 hidden, η = 0.5, 30 epochs, N(0, 1) weights    book 95.49%
 *   ch3-ce-100      the same with 100 hidden neurons                                 book 96.82%
 *   ch3-overfit     the first 1,000 training images, 400 epochs                      book 82.27%
 *   ch3-overfit-l2  the same with L2, λ = 0.1                                        book 87.1%
 *   ch3-l2-30       L2 λ = 5.0 on all 50,000 images, 30 epochs                       book 96.49%
 *   ch3-l2-100      the same with 100 hidden neurons                                 book 97.92%
 *   ch3-l2-100-slow 100 hidden, η = 0.1, 60 epochs                                   book 98.04%
 *   ch3-init        N(0, 1/n_in) weights against N(0, 1), η = 0.1, λ = 5.0: learning curves
 *   ch3-dropout     100 hidden with Dropout(0.5) after them, against the same without
 *
 * Every run keeps the epoch with the best accuracy on the validation images
 * (50,000–59,999), as the book's validation split is meant; the test images choose
 * nothing. The book reports its best test epoch, so its figures are a little high.
 */
import { join } from 'node:path';
import { Dense, Dropout, SGD, Sequential, Sigmoid, type DenseInit, type Layer } from 'tinydense';
import { bookRun, loadBookData, type BookData } from './support/book-run.js';
import { writeErrorChart } from './support/chart.js';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { workDir } from './support/paths.js';
import { printResult } from './support/report.js';

export interface Chapter3Config {
  readonly hidden: number;
  readonly eta: number;
  readonly epochs: number;
  readonly lambda?: number;
  readonly train?: number;
  readonly init?: DenseInit;
  readonly dropout?: number;
  /** The book's figure, for the report. */
  readonly book?: string;
}

export const CONFIGS: Readonly<Record<string, Chapter3Config>> = {
  'ch3-ce-30': { hidden: 30, eta: 0.5, epochs: 30, book: '95.49%' },
  'ch3-ce-100': { hidden: 100, eta: 0.5, epochs: 30, book: '96.82%' },
  'ch3-overfit': { hidden: 30, eta: 0.5, epochs: 400, train: 1000, book: '82.27%' },
  'ch3-overfit-l2': { hidden: 30, eta: 0.5, epochs: 400, train: 1000, lambda: 0.1, book: '87.1%' },
  'ch3-l2-30': { hidden: 30, eta: 0.5, epochs: 30, lambda: 5, book: '96.49%' },
  'ch3-l2-100': { hidden: 100, eta: 0.5, epochs: 30, lambda: 5, book: '97.92%' },
  'ch3-l2-100-slow': { hidden: 100, eta: 0.1, epochs: 60, lambda: 5, book: '98.04%' },
};

/** Builds the network of a configuration: Dense, Sigmoid (Dropout), Dense, Sigmoid. */
function network(c: Chapter3Config, seed: number): Sequential {
  const init = c.init ?? 'nielsen-large';
  const layers: Layer[] = [new Dense(784, c.hidden, { init }), new Sigmoid()];
  if (c.dropout !== undefined) layers.push(new Dropout(c.dropout));
  layers.push(new Dense(c.hidden, 10, { init }), new Sigmoid());
  return new Sequential(layers, { seed });
}

/** Trains one configuration, keeping the best validation epoch; returns its result and curves. */
async function train(name: string, c: Chapter3Config, data: BookData, options: ExampleOptions, trainingMetrics = false) {
  const epochs = options.epochs ?? c.epochs;
  const model = network(c, options.seed ?? 0);
  const run = bookRun(name, model, data, epochs, options);
  const costs: number[] = [];
  model.fit(data.x, data.y, {
    epochs, batchSize: 10, loss: 'cross-entropy', optimizer: new SGD({ learningRate: c.eta, l2: c.lambda ?? 0 }), trainingMetrics, ...run.fitOptions,
    onEpochEnd: (record) => {
      costs.push(record.trainLoss ?? NaN);
      run.fitOptions.onEpochEnd?.(record);
    },
  });
  const result = run.finish();
  // the book's own measure, its best test epoch, shown beside (it chooses nothing here)
  const bestTest = Math.max(...run.accuracies);
  return { result: { ...result, extra: { ...result.extra, bestTest } }, accuracies: run.accuracies, validation: run.validation, costs };
}

/** Runs one of the chapter's experiments by name (see the module comment). */
export async function run(name: string, options: ExampleOptions = {}): Promise<ExampleResult> {
  const dir = workDir(options);
  if (name === 'ch3-init') {
    const c: Chapter3Config = { hidden: 30, eta: 0.1, epochs: 30, lambda: 5 };
    const data = await loadBookData(options);
    const large = await train('ch3-init (N(0, 1))', { ...c, init: 'nielsen-large' }, data, { ...options, quiet: true });
    const scaled = await train('ch3-init', { ...c, init: 'nielsen' }, data, options);
    const points = [large, scaled].flatMap((r, k) => r.validation.map((a, e) => ({ epoch: e + 1, series: k === 0 ? 'old: N(0, 1)' : 'new: N(0, 1/n_in)', error: a })));
    await writeErrorChart(join(dir, 'ch3-init.svg'), points, 'Validation accuracy: the two initialisations', 'validation accuracy');
    console.log(`validation accuracy after epoch 1: N(0, 1) ${large.validation[0]?.toFixed(4)}, N(0, 1/n_in) ${scaled.validation[0]?.toFixed(4)}`);
    console.log(`best: N(0, 1) ${(large.result.accuracy as number).toFixed(4)}, N(0, 1/n_in) ${(scaled.result.accuracy as number).toFixed(4)} (test accuracy at the best validation epoch)`);
    const result = { ...scaled.result, extra: { oldFirst: large.validation[0] as number, newFirst: scaled.validation[0] as number, old: large.result.accuracy as number } };
    printResult(result); // the last RESULT line, with both curves' figures
    return result;
  }
  if (name === 'ch3-dropout') {
    const c: Chapter3Config = { hidden: 100, eta: 0.5, epochs: 30 };
    const data = await loadBookData(options);
    const without = await train('ch3-dropout (none)', c, data, { ...options, quiet: true });
    const withDropout = await train('ch3-dropout', { ...c, dropout: 0.5 }, data, options);
    console.log(`test accuracy: without dropout ${(without.result.accuracy as number).toFixed(4)}, with Dropout(0.5) ${(withDropout.result.accuracy as number).toFixed(4)}`);
    const result = { ...withDropout.result, extra: { without: without.result.accuracy as number } };
    printResult(result);
    return result;
  }
  const c = CONFIGS[name];
  if (c === undefined) throw new Error(`unknown chapter 3 experiment ${name}`);
  const data = await loadBookData({ ...options, trainSize: options.trainSize ?? c.train ?? 50_000 });
  const overfit = name.startsWith('ch3-overfit');
  const r = await train(name, c, data, options, overfit);
  if (overfit) {
    await writeErrorChart(join(dir, `${name}-cost.svg`), r.costs.map((cost, e) => ({ epoch: e + 1, series: 'training cost', error: cost })), `${name}: cost on the 1,000 training images`, 'cost');
    await writeErrorChart(join(dir, `${name}-accuracy.svg`), r.accuracies.map((a, e) => ({ epoch: e + 1, series: 'test accuracy', error: a })), `${name}: accuracy on the test images`, 'accuracy');
  }
  if (options.quiet !== true) {
    console.log(`the book: ${c.book} · tinydense: ${((r.result.accuracy as number) * 100).toFixed(2)}% at the best validation epoch (seed ${options.seed ?? 0}); its best test epoch, the book's measure: ${((r.result.extra?.bestTest ?? NaN) * 100).toFixed(2)}%`);
  }
  printResult(r.result); // the last RESULT line, with the best test epoch beside
  return r.result;
}
