/**
 * What `fit` prints while it trains: one line per epoch, as Keras' `verbose`.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import type { BatchRecord, EpochRecord } from './history.js';

/**
 * Receives a training run's progress: the `verbose` option of `fit` takes one (the
 * built-in one prints a line per epoch; `progressBar()` of `tinydense/node` adds a
 * bar over the batches of long epochs).
 */
export interface FitReporter {
  /**
   * Called after each mini-batch.
   *
   * @param record - The batch's record.
   * @param batches - The number of batches in each epoch.
   */
  batchEnd?(record: BatchRecord, batches: number): void;
  /**
   * Called after each epoch.
   *
   * @param record - The epoch's record.
   * @param line - The epoch as one line of text, e.g. `Epoch 3/30  loss 0.0412  valAccuracy 0.9530  1.2 s`.
   * @param epochs - The run's last epoch.
   */
  epochEnd(record: EpochRecord, line: string, epochs: number): void;
}

/**
 * One epoch's record as a line: its number, the loss, each figure measured after
 * it, and its time.
 *
 * @param record - The epoch's record.
 * @param epochs - The last epoch of the run.
 * @returns The line.
 */
export function epochLine(record: EpochRecord, epochs: number): string {
  const figures = (['loss', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy'] as const).flatMap((k) => {
    const v = record[k];
    return v === undefined ? [] : [`${k} ${v.toFixed(4)}`];
  });
  return [`Epoch ${record.epoch}/${epochs}`, ...figures, `${record.seconds.toFixed(1)} s`].join('  ');
}

/**
 * Prints epoch lines to the console: every one (`every`), or, so that a thousand
 * fast epochs are not a thousand lines, the first, the last, and one a second
 * between them.
 */
function consoleReporter(every: boolean): FitReporter {
  let printed: number | undefined;
  return {
    epochEnd(record, line, epochs) {
      const now = performance.now();
      if (!every && printed !== undefined && record.epoch !== epochs && now - printed < 1000) return;
      printed = now;
      // eslint-disable-next-line no-console -- printing is what verbose asks for
      console.log(line);
    },
  };
}

/** Whether this runs in Node with its standard output on a terminal (where `verbose` defaults to 1). */
function inNodeTerminal(): boolean {
  const process = (globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process;
  return process?.stdout?.isTTY === true;
}

/**
 * The `verbose` option as a reporter.
 *
 * @param verbose - 0 (silent), 1 (a line per epoch, at most about one a second, the first and the
 *   last always), 2 (every epoch's line), a {@link FitReporter}, or `undefined` (1 in a Node
 *   terminal, 0 elsewhere: a browser, a pipe, a test runner).
 * @param where - The caller, for the message.
 * @returns The reporter, or `undefined` for silence.
 * @throws {@link OptionError} for another value.
 */
export function resolveVerbose(verbose: unknown, where: string): FitReporter | undefined {
  if (verbose === undefined) return inNodeTerminal() ? consoleReporter(false) : undefined;
  if (verbose === 0) return undefined;
  if (verbose === 1 || verbose === 2) return consoleReporter(verbose === 2);
  if (typeof verbose === 'object' && verbose !== null && typeof (verbose as FitReporter).epochEnd === 'function') return verbose as FitReporter;
  throw new OptionError(`${where}: verbose must be 0, 1, 2 or a FitReporter ({ epochEnd, batchEnd? }), got ${describe(verbose)}`);
}
