/**
 * `startWebThreads`: a {@link ThreadPool} of Web Workers, for browser pages.
 *
 * @module
 */
import { ThreadPool } from './thread-pool.js';

/**
 * Starts a {@link ThreadPool} of Web Workers (from a Blob URL: no worker file to
 * serve) and waits until they are ready. The page must be cross-origin isolated
 * (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`) for memory to be shared; a Content
 * Security Policy must allow `worker-src blob:`.
 *
 * @param size - Threads in all, counting the calling one (default: `navigator.hardwareConcurrency`, or 2).
 * @returns The pool.
 * @throws {@link OptionError} for a bad size; {@link TinyDenseError} where memory
 *   cannot be shared (the page is not cross-origin isolated) or a worker fails to start.
 *
 * @example
 * ```ts
 * import { startWebThreads } from 'tinydense';
 * if (crossOriginIsolated) {
 *   const threads = await startWebThreads(2);
 *   // model.fit(x, y, { ...options, threads });
 *   await threads.close();
 * }
 * ```
 */
export async function startWebThreads(size: number = globalThis.navigator?.hardwareConcurrency ?? 2): Promise<ThreadPool> {
  let url: string | undefined;
  try {
    return await ThreadPool.start(
      size,
      (source) => {
        url ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        const worker = new Worker(url);
        return {
          postMessage: (data) => worker.postMessage(data),
          onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
          onError: (listener) => worker.addEventListener('error', (e) => listener(e.message)),
          terminate: () => worker.terminate(),
        };
      },
      '{ onMessage: (f) => { self.onmessage = (e) => f(e.data); }, postMessage: (m) => self.postMessage(m) }',
    );
  } finally {
    if (url !== undefined) URL.revokeObjectURL(url); // the workers have loaded it by now
  }
}
