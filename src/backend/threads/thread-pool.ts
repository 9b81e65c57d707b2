/**
 * `ThreadPool`: worker threads that share a float32 `Dense` layer's big batches
 * (and `Sigmoid`'s big arrays) with the calling thread. The workers run the same
 * WebAssembly kernels over a shared memory, each on its part of the rows, outputs
 * or values, so results are bit-identical to one thread's. Start one with
 * `startThreads` from `tinydense/node` or {@link startWebThreads} in a browser.
 *
 * @module
 */
import { OptionError, TinyDenseError } from '../../errors.js';
import { KERNELS, kernelModule, positional, type Kernel, type KernelArgs, type KernelMemory, type Kernels } from '../wasm/module.js';
import { CONTROL, workerMain } from './worker-main.js';

/** The most threads a pool may have, counting the calling one. */
export const MAX_THREADS = 256;

/** Stops the workers of a pool that was dropped without `close()`: otherwise their threads and memory would live as long as the process. */
const abandoned =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<readonly WorkerHandle[]>((workers) => {
        for (const worker of workers) worker.terminate();
      })
    : undefined;

/** How long a worker may take to answer a command before the pool gives up on it. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * A started worker, as a {@link ThreadPool} needs it: Node's `Worker` and the
 * browser's `Worker` both fit behind these four functions.
 */
export interface WorkerHandle {
  /** Sends a message (structured clone) to the worker. */
  postMessage(data: unknown): void;
  /** Calls `listener` with each message the worker posts. */
  onMessage(listener: (data: unknown) => void): void;
  /** Calls `listener` if the worker fails (fails to start, throws outside a command, exits). */
  onError(listener: (error: unknown) => void): void;
  /** Stops the worker. */
  terminate(): void;
}

/**
 * The worker's source: the text of tinydense's worker body, applied to an endpoint.
 *
 * @param endpoint - A JavaScript expression, in the worker's scope, for its `WorkerEndpoint`.
 * @returns Source text for a worker (a classic script).
 */
function workerSource(endpoint: string): string {
  return `(${String(workerMain)})(${endpoint});\n`;
}

/**
 * Threads that a float32 `Dense` layer shares its big batches with (128 rows or
 * more, such as a full batch; mini-batches of 10 stay on the calling thread, where handing them over
 * would cost more than it saves), and `Sigmoid` its float32 arrays of 65,536
 * values or more. Pass one as the `threads` option of {@link Sequential.fit},
 * {@link Sequential.fitAsync}, {@link Sequential.predict} or
 * {@link Sequential.evaluate}.
 *
 * The work is split so that every sum is still added in the same order: the
 * forward product by rows, the weight gradient by blocks of 32 outputs (and
 * `Sigmoid` by values). Results are bit-identical to a single thread's.
 *
 * The calling thread waits for the workers by spinning (a browser's main thread
 * may not block), so a pool only helps when it has a core of its own per worker.
 * A layer keeps its parameters in its own memory; for a threaded call it copies W
 * and b (and, around the weight gradient, ∂C/∂W and ∂C/∂b) into a second,
 * shared memory that the workers run over. Memory can be shared in Node, and in a
 * browser page that is cross-origin isolated; elsewhere the pool cannot be started.
 *
 * @example
 * ```ts
 * import { Dense, ReLU, Sequential, Softmax } from 'tinydense';
 * import { startThreads } from 'tinydense/node';
 * const threads = await startThreads(2); // this thread and one worker
 * const model = new Sequential([new Dense(784, 64), new ReLU(), new Dense(64, 10), new Softmax()]);
 * // model.fit(images, labels, { epochs: 100, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: 'sgd', threads });
 * await threads.close();
 * ```
 */
export class ThreadPool {
  /** Threads in all, counting the calling one: a pool of size 2 has one worker. */
  readonly size: number;
  private readonly workers: readonly WorkerHandle[];
  private readonly controls: readonly Int32Array[];
  private state: 'open' | 'closed' | 'broken' = 'open';

  private constructor(size: number, workers: readonly WorkerHandle[]) {
    this.size = size;
    this.workers = workers;
    this.controls = workers.map(() => new Int32Array(new SharedArrayBuffer(4 * CONTROL.LENGTH)));
    // A worker lost between calls (its exit or error event) closes the pool for the
    // next call; one lost during a call is seen by `wait` through GONE. The listener
    // holds the pool weakly, so that a pool nobody closes can still be collected.
    const controls = this.controls;
    const pool = new WeakRef(this);
    workers.forEach((worker, w) =>
      worker.onError(() => {
        Atomics.store(controls[w] as Int32Array, CONTROL.GONE, 1);
        pool.deref()?.shutDown('broken');
      }),
    );
    abandoned?.register(this, workers, this);
  }

  /**
   * Starts `size − 1` workers with `spawn` and waits until each is ready. Most code
   * calls `startThreads` (tinydense/node) or {@link startWebThreads} instead.
   *
   * @param size - Threads in all, counting the calling one: an integer from 1 to 256.
   * @param spawn - Starts one worker running the source text it is given (a classic script).
   * @param endpoint - A JavaScript expression, in the worker's scope, for its {@link WorkerEndpoint}
   *   (how it receives and posts messages on its platform).
   * @returns The pool, ready.
   * @throws {@link OptionError} for a bad size. {@link TinyDenseError} where memory
   *   cannot be shared or the kernels cannot run, or when a worker fails to start.
   */
  static async start(size: number, spawn: (source: string) => WorkerHandle, endpoint: string): Promise<ThreadPool> {
    if (!(Number.isInteger(size) && size >= 1 && size <= MAX_THREADS)) {
      throw new OptionError(`ThreadPool.start: size must be an integer from 1 to 256 (threads in all, counting this one), got ${String(size)}`);
    }
    const module = typeof SharedArrayBuffer === 'function' ? kernelModule(true) : null;
    if (module === null) {
      throw new TinyDenseError(
        'ThreadPool.start: threads need SharedArrayBuffer and WebAssembly SIMD with threads; this environment lacks one (a browser page must be cross-origin isolated)',
      );
    }
    const workers: WorkerHandle[] = [];
    try {
      const source = workerSource(endpoint);
      for (let i = 1; i < size; i++) workers.push(spawn(source));
      await Promise.all(
        workers.map(
          (worker, i) =>
            new Promise<void>((resolve, reject) => {
              worker.onMessage((data) => {
                if (data === 'ready') resolve();
              });
              worker.onError((error) => reject(new TinyDenseError(`ThreadPool.start: worker ${i + 1} failed: ${String(error)}`)));
              worker.postMessage({ module, names: KERNELS });
            }),
        ),
      );
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw error;
    }
    return new ThreadPool(size, workers);
  }

  /** Whether the pool can still take work (not closed, no worker lost). */
  get open(): boolean {
    return this.state === 'open';
  }

  /**
   * Stops the workers. Calls given the pool afterwards run on one thread.
   *
   * @returns When the workers have been told to stop.
   */
  async close(): Promise<void> {
    this.shutDown('closed');
  }

  /**
   * Begins a section of work over one kernel memory: each worker instantiates the
   * kernels over it and waits for commands. Used by the float32 `Dense` kernels and by `Sigmoid`.
   *
   * @internal
   * @param memory - The memory the kernels will run over.
   * @returns The section, or `undefined` if the pool cannot help (closed, of size 1, or the memory is not shared).
   */
  begin(memory: KernelMemory): ThreadSection | undefined {
    if (this.state !== 'open' || this.workers.length === 0 || !memory.shared) return undefined;
    for (let w = 0; w < this.workers.length; w++) {
      (this.workers[w] as WorkerHandle).postMessage({ memory: memory.memory, control: (this.controls[w] as Int32Array).buffer });
    }
    return new ThreadSection(this, memory.kernels);
  }

  /**
   * Has worker `w` (0-based: the pool's thread `w + 1`) start `kernel(args)`.
   *
   * @internal
   * @param w - The worker.
   * @param kernel - The kernel's index in {@link KERNELS}, or -1 to send the worker back to its event loop.
   * @param args - Its arguments, integers, in the kernel's order (at most 10).
   */
  post(w: number, kernel: number, args: readonly number[]): void {
    const control = this.controls[w] as Int32Array;
    control[CONTROL.OP] = kernel;
    for (let i = 0; i < args.length; i++) control[CONTROL.ARGS + i] = args[i] as number;
    Atomics.add(control, CONTROL.SEQ, 1);
    Atomics.notify(control, CONTROL.SEQ);
  }

  /**
   * Waits (spinning) until worker `w` has finished its command.
   *
   * @internal
   * @param w - The worker.
   * @throws {@link TinyDenseError} if the kernel failed, the worker exited, or it did not answer in time (the pool is then closed).
   */
  wait(w: number): void {
    const control = this.controls[w] as Int32Array;
    const seq = Atomics.load(control, CONTROL.SEQ);
    let spins = 0;
    let deadline = 0;
    while (Atomics.load(control, CONTROL.DONE) !== seq) {
      if (Atomics.load(control, CONTROL.GONE) !== 0) {
        this.shutDown('broken');
        throw new TinyDenseError(`ThreadPool: worker ${w + 1} exited during a command; the pool is closed`);
      }
      if (++spins % 65536 === 0) {
        const now = performance.now();
        if (deadline === 0) deadline = now + ANSWER_TIMEOUT_MS;
        else if (now > deadline) {
          this.shutDown('broken');
          throw new TinyDenseError(`ThreadPool: worker ${w + 1} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s; the pool is closed`);
        }
      }
    }
    if (control[CONTROL.STATUS] !== 0) {
      this.shutDown('broken');
      throw new TinyDenseError(`ThreadPool: a kernel failed in worker ${w + 1}; the pool is closed`);
    }
  }

  private shutDown(state: 'closed' | 'broken'): void {
    if (this.state !== 'open') return;
    this.state = state;
    abandoned?.unregister(this);
    for (const worker of this.workers) worker.terminate();
  }
}

/**
 * One stretch of work over one kernel memory (see `ThreadPool.begin`): the
 * calling thread is thread 0, the workers threads 1 … size − 1.
 *
 * @internal
 */
export class ThreadSection {
  /** Threads in all, counting the calling one. */
  readonly size: number;
  private readonly pool: ThreadPool;
  private readonly kernels: Kernels;

  /**
   * @param pool - The pool.
   * @param kernels - The kernels over the section's memory, for the calling thread's share.
   */
  constructor(pool: ThreadPool, kernels: Kernels) {
    this.pool = pool;
    this.size = pool.size;
    this.kernels = kernels;
  }

  /**
   * Runs one kernel call per thread, the first on this thread, and returns when
   * all have finished.
   *
   * @param kernel - The kernel.
   * @param calls - Each thread's arguments (at most {@link ThreadSection.size} calls; fewer leave threads idle).
   */
  run<K extends Kernel>(kernel: K, calls: readonly KernelArgs[K][]): void {
    this.start(kernel, calls.slice(1));
    this.kernels.call(kernel, calls[0] as KernelArgs[K]);
    this.finish(calls.length - 1);
  }

  /**
   * Starts one kernel call per worker and returns at once, so that this thread
   * can do other work meanwhile; {@link ThreadSection.finish} waits for them.
   *
   * @param kernel - The kernel.
   * @param calls - Each worker's arguments (at most {@link ThreadSection.size} − 1 calls).
   */
  start<K extends Kernel>(kernel: K, calls: readonly KernelArgs[K][]): void {
    const index = KERNELS.indexOf(kernel);
    for (let w = 0; w < calls.length; w++) this.pool.post(w, index, positional(kernel, calls[w] as KernelArgs[K]));
  }

  /**
   * Waits until the first `workers` workers have finished the calls {@link ThreadSection.start} gave them.
   *
   * @param workers - How many calls were started.
   */
  finish(workers: number): void {
    for (let w = 0; w < workers; w++) this.pool.wait(w);
  }

  /**
   * Sends the workers back to their event loops, each once it has finished any
   * command still running (this thread may have thrown between
   * {@link ThreadSection.start} and {@link ThreadSection.finish}: a worker that
   * had seen that command's number but not yet read its kernel would read the
   * -1 instead and leave without answering for it).
   */
  end(): void {
    for (let w = 0; w < this.size - 1 && this.pool.open; w++) {
      this.pool.wait(w);
      this.pool.post(w, -1, []);
    }
    for (let w = 0; w < this.size - 1 && this.pool.open; w++) this.pool.wait(w);
  }
}
