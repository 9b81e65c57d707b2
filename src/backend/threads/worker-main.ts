/**
 * What a {@link ThreadPool}'s worker thread runs. The worker knows nothing of
 * layers: it runs kernels, by name, over a shared WebAssembly memory it is
 * handed, with the arguments the calling thread writes into a shared control
 * block, until told to stop.
 *
 * @module
 */

/** How a worker talks to the thread that started it (Node's `parentPort` or a Web Worker's `self`, adapted). */
export interface WorkerEndpoint {
  /** Calls `listener` with each message's data. */
  onMessage(listener: (data: unknown) => void): void;
  /** Sends a message to the starting thread. */
  postMessage(data: unknown): void;
  /**
   * Calls `listener` as the worker thread exits (Node's `process.on('exit')`, which
   * runs on `process.exit()` and on an uncaught error in the worker), so it can tell
   * the starting thread through shared memory, which a thread blocked waiting on it
   * still reads. Optional: without it a lost worker is noticed by its silence.
   */
  onExit?(listener: () => void): void;
}

/**
 * The control block's layout: one Int32Array over a SharedArrayBuffer per worker.
 * The calling thread writes the kernel and its arguments, then bumps `SEQ`; the
 * worker runs it, writes its status, then sets `DONE` to that sequence number.
 */
export const CONTROL = {
  /** The sequence number of the latest command (written by the caller). */
  SEQ: 0,
  /** The sequence number of the latest command finished (written by the worker). */
  DONE: 1,
  /** The kernel to run, an index into the names sent at start; -1 to leave the command loop. */
  OP: 2,
  /** 0 if the command ran, 1 if it threw. */
  STATUS: 3,
  /** The first of the kernel's integer arguments. */
  ARGS: 4,
  /** Set to 1 when the worker is gone (by the worker as it exits, or by the calling thread on its exit event). */
  GONE: 14,
  /** The control block's length in Int32 slots. */
  LENGTH: 16,
} as const;

/**
 * The worker's body. It is sent to the worker as source text (`String(workerMain)`),
 * so it refers to nothing outside itself: the control block's slots are literals
 * here, matching {@link CONTROL}.
 *
 * Messages it takes: `{ module, names }` once (it answers `'ready'`), then
 * `{ memory, control }` per section of work: it instantiates the kernels over
 * `memory` and runs commands from `control` (spinning briefly, then sleeping in
 * `Atomics.wait`) until the operation is -1, then returns to its event loop and
 * drops the instance.
 *
 * @param endpoint - The channel to the starting thread.
 */
export function workerMain(endpoint: WorkerEndpoint): void {
  let module: WebAssembly.Module | undefined;
  let names: string[] = [];
  let current: Int32Array | undefined;
  // GONE (slot 14): a calling thread spinning on this worker stops at once
  endpoint.onExit?.(() => {
    if (current !== undefined) Atomics.store(current, 14, 1);
  });
  endpoint.onMessage((data) => {
    const message = data as { module?: WebAssembly.Module; names?: string[]; memory?: WebAssembly.Memory; control?: SharedArrayBuffer };
    if (message.module !== undefined) {
      module = message.module;
      names = message.names ?? [];
      endpoint.postMessage('ready');
      return;
    }
    const control = (current = new Int32Array(message.control as SharedArrayBuffer));
    let exports: Record<string, (...args: number[]) => unknown> = {};
    let broken = false;
    try {
      const instance = new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory: message.memory as WebAssembly.Memory, exp: Math.exp } });
      exports = instance.exports as typeof exports;
    } catch {
      broken = true; // every command then reports failure
    }
    let seen = Atomics.load(control, 1);
    for (;;) {
      // wait for SEQ to move past the last command seen: spin a little (a command
      // usually follows within microseconds), then sleep until notified
      let spins = 0;
      while (Atomics.load(control, 0) === seen) {
        if (++spins > 20000) {
          Atomics.wait(control, 0, seen, 1000);
          spins = 0;
        }
      }
      seen = Atomics.load(control, 0);
      const op = control[2] as number;
      if (op < 0) {
        current = undefined;
        Atomics.store(control, 1, seen);
        return;
      }
      let status = 1;
      if (!broken) {
        try {
          // the arguments are slots 4 … 13 (CONTROL.ARGS on)
          (exports[names[op] as string] as (...args: number[]) => unknown)(...control.subarray(4, 14));
          status = 0;
        } catch {
          status = 1;
        }
      }
      control[3] = status;
      Atomics.store(control, 1, seen);
    }
  });
}
