/** What every example prints: a progress bar per epoch, test accuracy per epoch, and the RESULT line. */
import cliProgress from 'cli-progress';
import type { BatchRecord, EpochRecord, Sequential, Tensor } from 'tinydense';
import { accuracy } from 'tinydense';
import type { ExampleOptions, ExampleResult } from './options.js';

export interface Reporter {
  /** Pass as `onBatchEnd`: advances the progress bar. */
  readonly onBatchEnd: (record: BatchRecord) => void;
  /** Pass as `onEpochEnd`: evaluates on the test set and prints one line. */
  readonly onEpochEnd: (record: EpochRecord) => void;
  /** Test accuracy after each epoch. */
  readonly accuracies: number[];
  /** Stops the bar, prints the RESULT line and returns its figures. */
  finish(): ExampleResult;
}

export interface ReporterSettings {
  /** The example's name, for the RESULT line. */
  readonly name: string;
  /** The model being trained, evaluated after each epoch. */
  readonly model: Sequential;
  /** For the progress bar's length. */
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly test: LabelledSet;
  readonly options: ExampleOptions;
}

export interface LabelledSet {
  readonly images: Tensor;
  readonly labels: ArrayLike<number>;
}

export function reporter({ name, model, batchesPerEpoch, epochs, test, options }: ReporterSettings): Reporter {
  const started = performance.now();
  const quiet = options.quiet === true;
  // The bar goes to stderr and only on a terminal; the epoch lines go to stdout.
  const bar = new cliProgress.SingleBar(
    { format: `epoch {epoch}/${epochs} [{bar}] {percentage}% | batch loss {loss}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const interactive = !quiet && process.stderr.isTTY === true;
  let barStarted = false;
  const accuracies: number[] = [];
  return {
    accuracies,
    onBatchEnd(b) {
      if (!interactive) return;
      if (!barStarted) {
        bar.start(batchesPerEpoch, 0, { epoch: b.epoch, loss: '…' });
        barStarted = true;
      }
      if (b.batch % 50 === 0 || b.batch === batchesPerEpoch - 1) bar.update(b.batch + 1, { epoch: b.epoch, loss: b.loss.toFixed(4) });
    },
    onEpochEnd(record) {
      if (barStarted) {
        bar.stop();
        barStarted = false;
      }
      accuracies.push(evaluateAccuracy(model, test));
      if (!quiet) {
        const acc = accuracies[accuracies.length - 1] as number;
        console.log(`epoch ${String(record.epoch).padStart(3)}/${epochs}  train loss ${record.loss.toFixed(4)}  test accuracy ${acc.toFixed(4)}  ${record.seconds.toFixed(1)}s`);
      }
    },
    finish() {
      if (barStarted) bar.stop();
      const result = { name, accuracy: evaluateAccuracy(model, test), seconds: (performance.now() - started) / 1000 };
      printResult(result);
      return result;
    },
  };
}

export function evaluateAccuracy(model: Sequential, test: LabelledSet): number {
  return accuracy(model.predict(test.images), test.labels);
}

export function printResult(result: ExampleResult): void {
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  const figures = { accuracy: result.accuracy, rmse: result.rmse, ...result.extra };
  const shown = Object.entries(figures).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v.toFixed(4)}`]));
  console.log(`RESULT ${result.name} ${shown.join(' ')} seconds=${Math.round(result.seconds)}`);
}
