/**
 * What the backend offers users directly: thread pools. The public entry
 * (src/index.ts) re-exports these; the rest of the library goes through ops.ts.
 *
 * @module
 */
export { ThreadPool, type WorkerHandle } from './threads/thread-pool.js';
export { startWebThreads } from './threads/web-threads.js';
export type { WorkerEndpoint } from './threads/worker-main.js';
