/**
 * Digits from a folder of PNG files (`train/0 … train/9`): [784, 128, 10], ReLU
 * then softmax, categorical cross-entropy, one randomly drawn image per step
 * (plain SGD, batch size 1, learning rate 0.01), 5 epochs. Draws a chart of
 * error against epoch (an SVG file, and in the terminal) and saves the model;
 * `--no-training` loads the saved model and only evaluates it.
 *
 * The PNG folders are written from MNIST by examples/data/write-image-folder.ts on first run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Dense, ReLU, SGD, Sequential, Softmax, oneHot } from 'tinydense';
import { loadImageFolder, loadModel, saveModel } from 'tinydense/node';
import { terminalChart, writeErrorChart, type ErrorPoint } from './support/chart.js';
import type { ExampleOptions, ExampleResult } from './support/options.js';
import { workDir } from './support/paths.js';
import { evaluateAccuracy, printResult, reporter } from './support/report.js';
import { seededSubset } from './support/split.js';

/**
 * Writes the PNG folders in a separate process: encoding 70,000 PNGs churns through
 * zlib's native buffers, and that memory should not count against this training run.
 */
function writeImageFolderInChildProcess(dir: string): void {
  const script = join(import.meta.dirname, 'data', 'write-image-folder.ts');
  execFileSync(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function run(options: ExampleOptions = {}): Promise<ExampleResult> {
  const dir = join(workDir(options), 'digits');
  const modelPath = join(workDir(options), 'image-folder-model.json');
  if (!existsSync(dir)) writeImageFolderInChildProcess(dir);
  // The folders are read in sorted order (all 0s first): a smaller run draws a random subset.
  const test = await loadImageFolder(join(dir, 'test'));
  const testSet = seededSubset(test.images, test.labels, options.testSize ?? test.labels.length, 1);

  if (options.noTraining === true) {
    const started = performance.now();
    const model = await loadModel(modelPath);
    const result = { name: 'image-folder', accuracy: evaluateAccuracy(model, testSet), seconds: (performance.now() - started) / 1000 };
    printResult(result);
    return result;
  }

  const folder = await loadImageFolder(join(dir, 'train'));
  const train = seededSubset(folder.images, folder.labels, options.trainSize ?? folder.labels.length, 2);
  const n = train.labels.length;
  const epochs = options.epochs ?? 5;
  const model = new Sequential([new Dense(784, 128, { init: 'he' }), new ReLU(), new Dense(128, 10, { init: 'he' }), new Softmax()], {
    seed: options.seed ?? 0,
  });
  const report = reporter({ name: 'image-folder', model, batchesPerEpoch: n, epochs, test: testSet, options });
  const points: ErrorPoint[] = [];

  // Shuffled each epoch with the model's seeded RNG, then one image per update.
  model.fit(train.images, oneHot(train.labels, 10), {
    verbose: 0, // the reporter prints each epoch
    epochs,
    batchSize: 1,
    loss: 'categorical-cross-entropy',
    optimizer: new SGD({ learningRate: 0.01 }),
    onBatchEnd: report.onBatchEnd,
    onEpochEnd: (record) => {
      report.onEpochEnd(record);
      points.push({ epoch: record.epoch, series: 'training loss', error: record.loss });
      points.push({ epoch: record.epoch, series: 'test error rate', error: 1 - (report.accuracies.at(-1) as number) });
    },
  });

  saveModel(model, modelPath);
  const chartPath = join(workDir(options), 'image-folder-error.svg');
  await writeErrorChart(chartPath, points, 'image-folder: error vs epoch');
  if (options.quiet !== true) {
    console.log(`\ntraining loss by epoch\n${terminalChart(points.filter((p) => p.series === 'training loss').map((p) => p.error))}`);
    console.log(`chart: ${chartPath}\nmodel: ${modelPath} (evaluate again with --no-training)`);
  }
  return report.finish();
}
