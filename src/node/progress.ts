/**
 * `progressBar`: a training run's progress in a terminal, a bar over the batches
 * of each long epoch and a line per epoch.
 *
 * @module
 */
import type CliProgress from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import { OptionError, type FitReporter } from 'tinydense';

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Show the bar only once an epoch has run this long, in seconds (default 1: short epochs print their line alone). */
  readonly after?: number;
  /** Where the bar goes (default `process.stderr`; it is drawn only on a terminal). */
  readonly stream?: NodeJS.WriteStream;
}

/**
 * A {@link FitReporter} for `fit`'s `verbose` option: a progress bar over the
 * batches of an epoch that runs longer than `after` seconds (drawn with the
 * `cli-progress` package, an optional peer dependency: `npm install cli-progress`),
 * then the epoch's line, as `verbose: 1` prints it.
 *
 * @param options - See {@link ProgressBarOptions}.
 * @returns The reporter.
 * @throws `OptionError` if `cli-progress` is not installed.
 * @example
 * ```ts
 * import { progressBar } from 'tinydense/node';
 * const verbose = await progressBar();
 * // model.fit(train.images, labels, { epochs: 30, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', verbose });
 * ```
 */
export async function progressBar(options: ProgressBarOptions = {}): Promise<FitReporter> {
  let cliProgress: typeof CliProgress;
  try {
    cliProgress = (await import('cli-progress')).default;
  } catch {
    throw new OptionError('progressBar: drawing a progress bar needs the cli-progress package: npm install cli-progress');
  }
  const after = (options.after ?? 1) * 1000;
  const stream = options.stream ?? process.stderr;
  let bar: SingleBar | undefined;
  let epochStarted = performance.now();
  let lastEpoch = 0;
  return {
    batchEnd(record, batches) {
      if (record.epoch !== lastEpoch) {
        lastEpoch = record.epoch;
        epochStarted = performance.now();
      }
      if (bar === undefined && stream.isTTY === true && performance.now() - epochStarted >= after) {
        bar = new cliProgress.SingleBar(
          { format: `Epoch ${record.epoch} [{bar}] {value}/{total} batches  loss {loss}`, hideCursor: true, clearOnComplete: true, stream },
          cliProgress.Presets.shades_classic,
        );
        bar.start(batches, record.batch + 1, { loss: record.loss.toFixed(4) });
      }
      bar?.update(record.batch + 1, { loss: record.loss.toFixed(4) });
    },
    epochEnd(_record, line) {
      bar?.stop();
      bar = undefined;
      // eslint-disable-next-line no-console -- printing is what verbose asks for
      console.log(line);
    },
  };
}
