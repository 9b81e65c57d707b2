/**
 * `startThreads`: a {@link ThreadPool} of Node `worker_threads`.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ThreadPool } from 'tinydense';

/** The worker's script: tinydense's worker body, talking through `parentPort`. */
/** The worker's endpoint: Node's `parentPort`, reached from the eval'd (CommonJS) worker script. */
const ENDPOINT =
  "{ onMessage: (f) => require('node:worker_threads').parentPort.on('message', f), postMessage: (m) => require('node:worker_threads').parentPort.postMessage(m), onExit: (f) => process.on('exit', f) }";

/**
 * Starts a {@link ThreadPool} of Node worker threads and waits until they are
 * ready. The workers do not keep the process alive; {@link ThreadPool.close}
 * stops them.
 *
 * @param size - Threads in all, counting the calling one (default: the machine's
 *   `os.availableParallelism()`); 2 on a two-core machine.
 * @returns The pool.
 * @throws `OptionError` for a bad size; `TinyDenseError` if a worker fails to start.
 *
 * @example
 * ```ts
 * import { startThreads } from 'tinydense/node';
 * const threads = await startThreads(2);
 * // model.fit(x, y, { ...options, threads });
 * await threads.close();
 * ```
 */
export async function startThreads(size: number = availableParallelism()): Promise<ThreadPool> {
  return ThreadPool.start(
    size,
    (source) => {
      const worker = new Worker(source, { eval: true });
      // once ready, an idle worker must not keep the process alive
      worker.once('message', () => worker.unref());
      return {
        postMessage: (data) => worker.postMessage(data),
        onMessage: (listener) => worker.on('message', listener),
        onError: (listener) => {
          worker.on('error', listener);
          worker.on('exit', (code) => listener(new Error(`the worker exited (code ${code})`)));
        },
        terminate: () => void worker.terminate(),
      };
    },
    ENDPOINT,
  );
}
