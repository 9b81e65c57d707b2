/**
 * The fast path of a float32 `Dense` layer: its parameters and gradients live in a
 * {@link KernelMemory}, and the forward product and the weight gradient run as
 * WebAssembly SIMD kernels over chunks of rows copied in beside them.
 *
 * @module
 */
import type { SparseRows } from '../sparse-rows.js';
import { MAX_THREADS, type ThreadPool, type ThreadSection } from '../threads/thread-pool.js';
import { KernelMemory, f32, i32, type F32Ptr, type I32Ptr, type KernelArgs } from './module.js';

/** Batches smaller than this stay on the calling thread (handing them over costs more than it saves). */
const MIN_THREADED_BATCH = 128;

/**
 * How many times more rows a chunk of the shared workspace holds than one of the
 * home workspace: the threads meet once per chunk, so a bigger chunk means fewer
 * meetings (see docs/performance.md).
 */
const SHARED_CHUNK = 8;

/**
 * With threads, this thread first takes this fraction of an even share of each
 * chunk of dense rows (the workers split the rest): less than even, as it also
 * copies the workers' rows into the shared memory and its own into the home one.
 * Then the share follows the threads' speeds: 2% more after a chunk in which
 * this thread waited for the workers, 0.5% less after one in which it did not
 * (how it was tuned: docs/performance.md).
 */
const OWN_SHARE = 0.75;

/**
 * A chunk of dense rows with at least this share of non-zero values is also listed
 * in groups of four rows (`listGroups`), which the forward product and the weight
 * gradient then take: standardised features, say, rather than MNIST's mostly-zero
 * pixels (how it was chosen: docs/performance.md).
 */
const GROUPED_DENSITY = 0.5;

/** Chunks of fewer rows stay on the pair lists: W1's batches of 10 trained slower in groups (docs/performance.md). */
const MIN_GROUPED_ROWS = 16;

/** The outputs one weight-gradient kernel call keeps in registers, and so the unit threads share them in. */
const TILE = 32;

/** The length of each of a workspace's buffers, in 32-bit slots, in the order they are laid out. */
interface Lengths {
  readonly weights: number;
  readonly biases: number;
  readonly weightsT: number;
  readonly nablaW: number;
  readonly nablaB: number;
  readonly x: number;
  readonly pairs: number;
  readonly rowStart: number;
  readonly cols: number;
  readonly vals: number;
  readonly groupStart: number;
  readonly mixed: number;
  readonly rowsOut: number;
  readonly range: number;
  readonly pad: number;
  /** Room left at the end for an optimizer's slots (see `ops.optimizerSlot`), not taken here. */
  readonly slots: number;
}

/**
 * One memory's worth of a layer's buffers: parameters, gradients and the scratch
 * for one chunk of rows, with the kernels over them.
 */
class Workspace {
  readonly memory: KernelMemory;
  /** W, `inputs × outputs`, row-major. */
  readonly weights: Float32Array;
  /** b. */
  readonly biases: Float32Array;
  /** Wᵀ in float64 (two slots a value), refreshed for each input gradient. */
  readonly weightsT: Float32Array;
  /** ∂C/∂W. */
  readonly nablaW: Float32Array;
  /** ∂C/∂b. */
  readonly nablaB: Float32Array;
  /**
   * A chunk of dense rows of x (and of ∂C/∂x on the way out of the input gradient);
   * two in the shared workspace, so that the next chunk can be copied in while threads work on one.
   */
  readonly x: Float32Array;
  /** A chunk's non-zero inputs as (column, value) pairs; row n's are pairs rowStart[n] … rowStart[n + 1]. */
  readonly pairs: Int32Array;
  readonly rowStart: Int32Array;
  /**
   * The chunk's rows in groups of four, for dense inputs (see {@link GROUPED_DENSITY}):
   * group g's columns where all four rows are non-zero are cols[groupStart[g] … groupStart[g + 1]),
   * with the four values of each in vals; mixed[g] = 1 where the rows' zeros differ.
   */
  readonly cols: Int32Array;
  readonly vals: Float32Array;
  readonly groupStart: Int32Array;
  readonly mixed: Int32Array;
  /** Whether the chunk in the scratch is listed in groups too (the kernels then take them). */
  grouped = false;
  /** z on the way out of forward, δ on the way into the weight gradient. */
  readonly rowsOut: Float32Array;
  /** The running [min, max] of the dense rows listed so far, one pair per thread. */
  readonly range: Float32Array;
  /** Rows per chunk: the scratch holds this many rows of x, z and δ. */
  readonly chunkRows: number;

  private constructor(memory: KernelMemory, lengths: Lengths, chunkRows: number) {
    this.memory = memory;
    this.chunkRows = chunkRows;
    // taken in the order of `lengths`, the list the memory was sized from
    this.weights = memory.floats(lengths.weights);
    this.biases = memory.floats(lengths.biases);
    this.weightsT = memory.floats(lengths.weightsT);
    this.nablaW = memory.floats(lengths.nablaW);
    this.nablaB = memory.floats(lengths.nablaB);
    this.x = memory.floats(lengths.x);
    this.pairs = memory.ints(lengths.pairs);
    this.rowStart = memory.ints(lengths.rowStart);
    this.cols = memory.ints(lengths.cols);
    this.vals = memory.floats(lengths.vals);
    this.groupStart = memory.ints(lengths.groupStart);
    this.mixed = memory.ints(lengths.mixed);
    this.rowsOut = memory.floats(lengths.rowsOut);
    this.range = memory.floats(lengths.range);
    memory.floats(lengths.pad);
  }

  /**
   * A workspace in a new memory, or `undefined` if that cannot be had.
   *
   * @param inputs - The layer's input width.
   * @param outputs - The layer's output width.
   * @param chunkRows - Rows per chunk.
   * @param shared - Whether worker threads must be able to share the memory.
   */
  static create(inputs: number, outputs: number, chunkRows: number, shared: boolean): Workspace | undefined {
    const lengths: Lengths = {
      weights: inputs * outputs, biases: outputs, weightsT: 2 * inputs * outputs, nablaW: inputs * outputs, nablaB: outputs,
      x: (shared ? 2 : 1) * chunkRows * inputs, pairs: 2 * chunkRows * inputs, rowStart: (shared ? 1 : 2) * chunkRows + MAX_THREADS, // groups take 5 slots per 4 rows
      // groups are listed in the home workspace only (one thread)
      cols: shared ? 0 : (chunkRows >> 2) * inputs, vals: shared ? 0 : 4 * (chunkRows >> 2) * inputs, groupStart: shared ? 0 : (chunkRows >> 2) + 1, mixed: shared ? 0 : chunkRows >> 2,
      rowsOut: chunkRows * outputs, range: 2 * MAX_THREADS,
      pad: 32, // the kernels read up to 31 floats past a row (of b, W, Wᵀ, ∇W or δ): keep that in bounds
      // two float64 values per parameter value (Adam's m and v, or a velocity), where the
      // optimizer kernels can reach them; pages no optimizer touches are never committed
      slots: shared ? 0 : 4 * (inputs * outputs + outputs),
    };
    const all = Object.values(lengths);
    const memory = KernelMemory.create(all.reduce((a, b) => a + b, 0), all.length + 4, shared);
    return memory === undefined ? undefined : new Workspace(memory, lengths, chunkRows);
  }
}

/** The share of non-zero values among the first `length` of `x`. */
function nonZeroShare(x: Float32Array, length: number): number {
  let count = 0;
  for (let k = 0; k < length; k++) count += x[k] !== 0 ? 1 : 0;
  return count / length;
}

/** A workspace's group lists, as the grouped kernels take them. */
function groups(space: Workspace): { cols: I32Ptr; vals: F32Ptr; groupStart: I32Ptr; mixed: I32Ptr } {
  return { cols: i32(space.cols), vals: f32(space.vals), groupStart: i32(space.groupStart), mixed: i32(space.mixed) };
}

/**
 * A float32 dense layer's storage and kernels; it computes what the reference
 * loops (reference.ts) compute, bit for bit.
 *
 * The parameters live in a plain memory (the `home` workspace). Only when a batch is
 * shared with a {@link ThreadPool} does a second, shared workspace come into play:
 * W and b are copied into it before the forward product, ∂C/∂W and ∂C/∂b in and
 * back out around the weight gradient (a shared memory's typed-array copies and
 * fills are slower, so one thread never works on it, and with threads the
 * calling thread's own rows of a dense input go through the home one).
 */
export class DenseKernels {
  /** W, `inputs × outputs`, row-major. */
  readonly weights: Float32Array;
  /** b. */
  readonly biases: Float32Array;
  /** ∂C/∂W. */
  readonly nablaW: Float32Array;
  /** ∂C/∂b. */
  readonly nablaB: Float32Array;
  private readonly inputs: number;
  private readonly outputs: number;
  private readonly home: Workspace;
  /** The workspace threads share, made on first use; `null` if it cannot be had here. */
  private shared: Workspace | null | undefined;
  /** The workspace the last forward filled (a one-chunk weight gradient reuses its pairs). */
  private last: Workspace;
  /** What the last forward was given, if it took several chunks: the weight gradient refills the scratch from it. */
  private lastDense: Float32Array | undefined;
  private lastRows: SparseRows | undefined;
  private lastIndices: ArrayLike<number> = [];
  /** This thread's share of the rows of a chunk of dense input, as a fraction of an even share (see {@link OWN_SHARE}). */
  private ownShare = OWN_SHARE;
  /** The smallest and largest value of the last forward's dense input (`undefined` after sparse rows). */
  lastInputRange: readonly [number, number] | undefined;

  private constructor(home: Workspace, inputs: number, outputs: number) {
    this.home = this.last = home;
    this.inputs = inputs;
    this.outputs = outputs;
    this.weights = home.weights;
    this.biases = home.biases;
    this.nablaW = home.nablaW;
    this.nablaB = home.nablaB;
  }

  /**
   * Storage and kernels for an `inputs → outputs` layer, or `undefined` where
   * WebAssembly SIMD is not available (the caller then uses its own loops).
   *
   * @param inputs - The layer's input width.
   * @param outputs - The layer's output width.
   * @returns The kernels, or `undefined`.
   */
  static create(inputs: number, outputs: number): DenseKernels | undefined {
    // About 256 KB of input rows per chunk: the chunk and its pair lists stay in cache.
    const chunkRows = Math.max(8, Math.min(1024, Math.floor(65536 / inputs)));
    const home = Workspace.create(inputs, outputs, chunkRows, false);
    return home === undefined ? undefined : new DenseKernels(home, inputs, outputs);
  }

  /**
   * z = x·W + b, chunk by chunk.
   *
   * @param x - `batch × inputs` values.
   * @param batch - The number of rows.
   * @param z - Receives `batch × outputs` values.
   * @param threads - A pool to share a big batch with, or `undefined`.
   */
  forward(x: Float32Array, batch: number, z: Float32Array, threads: ThreadPool | undefined): void {
    this.lastDense = x;
    this.lastRows = undefined;
    this.forwardChunks(batch, z, threads);
  }

  /**
   * z = x·W + b for the rows `indices` of a sparse matrix, gathered chunk by chunk
   * straight into the kernels' memory.
   *
   * @param x - The sparse matrix, `inputs` wide.
   * @param indices - Its rows that form the batch.
   * @param z - Receives `indices.length × outputs` values.
   * @param threads - A pool to share a big batch with, or `undefined`.
   */
  forwardRows(x: SparseRows, indices: ArrayLike<number>, z: Float32Array, threads: ThreadPool | undefined): void {
    this.lastDense = undefined;
    this.lastRows = x;
    this.lastIndices = indices;
    this.forwardChunks(indices.length, z, threads);
  }

  private forwardChunks(batch: number, z: Float32Array, threads: ThreadPool | undefined): void {
    const { outputs } = this;
    this.lastInputRange = undefined;
    const section = this.section(batch, threads);
    const space = section === undefined ? this.home : (this.shared as Workspace);
    const { chunkRows } = space;
    if (space !== this.home) {
      space.weights.set(this.weights);
      space.biases.set(this.biases);
    }
    this.last = space;
    const { pairs, rowStart, rowsOut, range } = space;
    const size = section?.size ?? 1;
    for (let t = 0; t < size; t++) {
      range[2 * t] = Infinity;
      range[2 * t + 1] = -Infinity;
    }
    this.home.range[0] = Infinity; // this thread's rows of threaded dense input are scanned there
    this.home.range[1] = -Infinity;
    // Several chunks of dense rows: each thread lists the non-zero inputs of its own
    // rows too, into its own part of the scratch (the weight gradient lists them again).
    const dense = section !== undefined && this.lastDense !== undefined && batch > chunkRows;
    try {
      if (dense) this.forwardDenseShared(section, batch, z);
      else {
        for (let first = 0; first < batch; first += chunkRows) {
          const rows = Math.min(chunkRows, batch - first);
          if (section === undefined) {
            this.forwardHome(first, rows, z);
            continue;
          }
          this.fill(space, first, rows);
          // rows are independent: each thread takes a run of them, about equal in pairs
          const calls: KernelArgs['denseForward'][] = [];
          const total = rowStart[rows] as number;
          let from = 0;
          for (let t = 1; t <= size; t++) {
            let to = from;
            while (to < rows && (rowStart[to] as number) < (total * t) / size) to++;
            if (t === size) to = rows;
            calls.push({
              pairs: i32(pairs), rowStart: i32(rowStart, from), rows: to - from, outputs, w: f32(space.weights), b: f32(space.biases), z: f32(rowsOut, from * outputs),
            });
            from = to;
          }
          section.run('denseForward', calls);
          z.set(rowsOut.subarray(0, rows * outputs), first * outputs);
        }
      }
    } finally {
      section?.end();
    }
    if (this.lastDense !== undefined) {
      // each thread's [min, max], NaN carried
      let lo = this.home.range[0] as number;
      let hi = this.home.range[1] as number;
      for (let t = 0; t < size; t++) {
        lo = Math.min(lo, range[2 * t] as number);
        hi = Math.max(hi, range[2 * t + 1] as number);
      }
      this.lastInputRange = [lo, hi];
    }
    if (batch <= chunkRows) {
      // One chunk: its pairs stay in the scratch for the weight gradient, so keep no
      // reference to the input (a training set's SparseRows can be tens of MB).
      this.lastDense = this.lastRows = undefined;
      this.lastIndices = [];
    }
  }

  /**
   * z for the last forward's dense rows, several chunks of them, with threads. Of
   * each chunk, this thread takes the first rows through its own memory (a plain
   * copy is faster than one into shared memory); only the workers' rows are copied
   * into the shared one, into one half of x while the workers run over the other.
   */
  private forwardDenseShared(section: ThreadSection, batch: number, z: Float32Array): void {
    const { inputs, outputs } = this;
    const { x, pairs, rowStart, rowsOut, range, weights, biases, chunkRows } = this.shared as Workspace;
    const source = this.lastDense as Float32Array;
    const threads = section.size;
    const half = chunkRows * inputs;
    // this thread's rows of the chunk in each half of x, fixed when the workers' rows are copied in
    const mines = [0, 0];
    const copyIn = (first: number, buffer: number): void => {
      const rows = Math.min(chunkRows, batch - first);
      const mine = (mines[buffer] = Math.floor((rows * this.ownShare) / threads));
      x.set(source.subarray((first + mine) * inputs, (first + rows) * inputs), buffer * half + mine * inputs);
    };
    copyIn(0, 0);
    for (let first = 0, buffer = 0; first < batch; first += chunkRows, buffer ^= 1) {
      const rows = Math.min(chunkRows, batch - first);
      const mine = mines[buffer] as number;
      // worker t: rows r0 … r1, their pairs from pair r0 · inputs, their row starts from slot r0 + t
      const calls = Array.from({ length: threads - 1 }, (_, i): KernelArgs['denseForwardDense'] => {
        const t = i + 1;
        const r0 = mine + Math.floor(((rows - mine) * i) / (threads - 1));
        const r1 = mine + Math.floor(((rows - mine) * t) / (threads - 1));
        return {
          x: f32(x, buffer * half + r0 * inputs), rows: r1 - r0, inputs, pairs: i32(pairs, 2 * r0 * inputs), rowStart: i32(rowStart, r0 + t),
          range: f32(range, 2 * t), outputs, w: f32(weights), b: f32(biases), z: f32(rowsOut, r0 * outputs),
        };
      });
      section.start('denseForwardDense', calls);
      if (first + chunkRows < batch) copyIn(first + chunkRows, buffer ^ 1);
      const homeRows = this.home.chunkRows;
      for (let r = 0; r < mine; r += homeRows) this.forwardHome(first + r, Math.min(homeRows, mine - r), z);
      const waiting = performance.now();
      section.finish(calls.length);
      // waited for the workers (over 0.02 of a millisecond): take 2% more rows from now on, up to all; else 0.5% fewer
      this.ownShare = Math.min(threads, this.ownShare * (performance.now() - waiting > 0.02 ? 1.02 : 0.995));
      z.set(rowsOut.subarray(mine * outputs, rows * outputs), (first + mine) * outputs);
    }
  }

  /** z for the last forward's rows first … first + rows (at most a home chunk), on this thread, in the home workspace. */
  private forwardHome(first: number, rows: number, z: Float32Array): void {
    const { home, outputs } = this;
    this.fill(home, first, rows);
    const args = { pairs: i32(home.pairs), rowStart: i32(home.rowStart), rows, outputs, w: f32(home.weights), b: f32(home.biases), z: f32(home.rowsOut) };
    if (home.grouped) home.memory.kernels.call('denseForwardGroups', { ...args, inputs: this.inputs, ...groups(home) });
    else home.memory.kernels.call('denseForward', args);
    z.set(home.rowsOut.subarray(0, rows * outputs), first * outputs);
  }

  /**
   * A section of work shared with `threads` over the shared workspace (made here
   * on first use), if the batch is big enough and there is a pool that can take it.
   */
  private section(batch: number, threads: ThreadPool | undefined): ThreadSection | undefined {
    if (batch < MIN_THREADED_BATCH || threads === undefined || !threads.open) return undefined;
    if (this.shared === undefined) this.shared = Workspace.create(this.inputs, this.outputs, SHARED_CHUNK * this.home.chunkRows, true) ?? null;
    return this.shared === null ? undefined : threads.begin(this.shared.memory);
  }

  /** Puts the (column, value) pairs of the last forward's rows first … first + rows into a workspace's scratch. */
  private fill(space: Workspace, first: number, rows: number): void {
    const { inputs } = this;
    const { pairs, rowStart } = space;
    space.grouped = false;
    if (this.lastDense !== undefined) {
      space.x.set(this.lastDense.subarray(first * inputs, (first + rows) * inputs));
      const { kernels } = space.memory;
      const args = { x: f32(space.x), rows, inputs, pairs: i32(pairs), rowStart: i32(rowStart), range: f32(space.range) };
      // groups where the chunk's first row is dense enough (every row's zeros are still skipped exactly)
      if (space === this.home && rows >= MIN_GROUPED_ROWS && nonZeroShare(space.x, inputs) >= GROUPED_DENSITY) {
        kernels.call('listGroups', { ...args, ...groups(space) });
        space.grouped = true;
      } else kernels.call('listNonZero', args);
      return;
    }
    const source = this.lastRows as SparseRows;
    const from = source.pairs;
    const starts = source.rowStart;
    const indices = this.lastIndices;
    const r0 = indices[first] as number;
    let consecutive = 1;
    while (consecutive < rows && indices[first + consecutive] === r0 + consecutive) consecutive++;
    if (consecutive === rows) {
      // Consecutive rows (a full batch): one copy.
      const base = starts[r0] as number;
      for (let n = 0; n <= rows; n++) rowStart[n] = (starts[r0 + n] as number) - base;
      pairs.set(from.subarray(2 * base, 2 * (starts[r0 + rows] as number)));
      return;
    }
    let at = 0;
    for (let n = 0; n < rows; n++) {
      const r = indices[first + n] as number;
      const a = starts[r] as number;
      const b = starts[r + 1] as number;
      rowStart[n] = at;
      pairs.set(from.subarray(2 * a, 2 * b), 2 * at);
      at += b - a;
    }
    rowStart[rows] = at;
  }

  /**
   * Adds ∂C/∂W = xᵀ·δ and ∂C/∂b = Σₙ δₙ into {@link DenseKernels.nablaW} and
   * {@link DenseKernels.nablaB}, for the x of the last forward (which must be unchanged since).
   *
   * @param delta - δ, `batch × outputs` values.
   * @param batch - The number of rows.
   * @param pool - A pool to share a big batch with, or `undefined`.
   */
  weightGradient(delta: Float32Array, batch: number, pool: ThreadPool | undefined): void {
    const { outputs } = this;
    const oneChunk = batch <= this.last.chunkRows;
    // Each ∂C/∂W_kj is summed over the rows in order, so threads share the outputs,
    // in blocks of TILE. One chunk: forward's pairs are still in forward's workspace,
    // so threads can help only if that is the shared one.
    const tiles = Math.ceil(outputs / TILE);
    const section = tiles > 1 && (!oneChunk || this.last !== this.home) ? this.section(batch, pool) : undefined;
    const space = oneChunk ? this.last : section === undefined ? this.home : (this.shared as Workspace);
    const { chunkRows } = space;
    if (space !== this.home) {
      space.nablaW.set(this.nablaW);
      space.nablaB.set(this.nablaB);
    }
    const { pairs, rowStart, rowsOut, nablaW, nablaB } = space;
    // thread t's outputs j0 … j1: whole blocks, as even a share as the blocks allow
    const threads = section === undefined ? 1 : Math.min(section.size, tiles);
    const blocks = Array.from({ length: threads }, (_, t) => [TILE * Math.floor((tiles * t) / threads), Math.min(outputs, TILE * Math.floor((tiles * (t + 1)) / threads))] as const);
    try {
      for (let first = 0; first < batch; first += chunkRows) {
        const rows = Math.min(chunkRows, batch - first);
        if (!oneChunk) this.fill(space, first, rows);
        rowsOut.set(delta.subarray(first * outputs, (first + rows) * outputs));
        const calls = blocks.map(([j0, j1]): KernelArgs['denseWeightGradient'] => ({
          pairs: i32(pairs), rowStart: i32(rowStart), rows, width: outputs, columns: j1 - j0, delta: f32(rowsOut, j0), nablaW: f32(nablaW, j0), nablaB: f32(nablaB, j0),
        }));
        if (section !== undefined) section.run('denseWeightGradient', calls);
        else if (space.grouped) space.memory.kernels.call('denseWeightGradientGroups', { ...(calls[0] as KernelArgs['denseWeightGradient']), inputs: this.inputs, ...groups(space) });
        else space.memory.kernels.call('denseWeightGradient', calls[0] as KernelArgs['denseWeightGradient']);
      }
    } finally {
      section?.end();
    }
    if (space !== this.home) {
      this.nablaW.set(nablaW);
      this.nablaB.set(nablaB);
    }
  }

  /**
   * ∂C/∂x = δ·Wᵀ, chunk by chunk (after {@link DenseKernels.weightGradient}, whose
   * scratch it reuses).
   *
   * @param delta - δ, `batch × outputs` values.
   * @param batch - The number of rows.
   * @param dx - Receives `batch × inputs` values.
   */
  inputGradient(delta: Float32Array, batch: number, dx: Float32Array): void {
    const { inputs, outputs } = this;
    const { memory, weights, weightsT, rowsOut, x, chunkRows } = this.home;
    const k = memory.kernels;
    k.call('transpose', { w: f32(weights), rows: inputs, cols: outputs, wT: f32(weightsT) });
    for (let first = 0; first < batch; first += chunkRows) {
      const rows = Math.min(chunkRows, batch - first);
      rowsOut.set(delta.subarray(first * outputs, (first + rows) * outputs));
      k.call('denseInputGradient', { delta: f32(rowsOut), rows, inputs, outputs, wT: f32(weightsT), dx: f32(x) });
      dx.set(x.subarray(0, rows * inputs), first * inputs);
    }
  }
}
