/**
 * The `threads` option of `fit`, `predict` and `evaluate`: checking it, and lending
 * the pool to the layers for the length of one call.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { ThreadPool } from '../threads/thread-pool.js';

/**
 * The `threads` option, checked.
 *
 * @param options - The options object that may hold it.
 * @param where - The calling method, for the error message.
 * @returns The pool, or `undefined` if none was given.
 * @throws {@link OptionError} if the options are not an object, or `threads` is given and is not a {@link ThreadPool}.
 */
export function checkThreads(options: unknown, where: string): ThreadPool | undefined {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  const threads = (options as { threads?: unknown }).threads;
  if (threads === undefined || threads instanceof ThreadPool) return threads;
  throw new OptionError(`${where}: threads must be a ThreadPool (from startThreads or startWebThreads), got ${describe(threads)}`);
}

/**
 * Gives every layer that takes one the pool, runs `body`, then takes the pool back
 * (also when `body` throws).
 *
 * @param layers - The model's layers.
 * @param threads - The pool, or `undefined` (then `body` just runs).
 * @param body - The work.
 * @returns What `body` returns.
 */
export function withThreads<T>(layers: readonly Layer[], threads: ThreadPool | undefined, body: () => T): T {
  if (threads === undefined) return body();
  for (const layer of layers) layer.useThreads?.(threads);
  try {
    return body();
  } finally {
    for (const layer of layers) layer.useThreads?.(undefined);
  }
}
