/**
 * The fast path of a float32 `Dense` layer: its parameters and gradients live in a
 * {@link KernelMemory}, and the forward product and the weight gradient run as
 * WebAssembly SIMD kernels over chunks of rows copied in beside them.
 *
 * @module
 */
import type { SparseRows } from '../sparse-rows.js';
import type { ThreadPool, ThreadSection } from '../threads/thread-pool.js';
import { KernelMemory } from '../wasm/kernels.js';

/** Batches smaller than this stay on the calling thread (handing them over costs more than it saves). */
const MIN_THREADED_BATCH = 128;

/** The outputs one weight-gradient kernel call keeps in registers, and so the unit threads share them in. */
const TILE = 32;

/**
 * A float32 `Dense` layer's storage and kernels. `Dense` keeps its TypeScript
 * loops as the reference; this computes the same values, bit for bit.
 */
export class DenseKernels {
  /** W, `inputs × outputs`, row-major. */
  readonly weights: Float32Array;
  /** b. */
  readonly biases: Float32Array;
  /** Wᵀ, refreshed for each input gradient. */
  private readonly weightsT: Float32Array;
  /** ∂C/∂W. */
  readonly nablaW: Float32Array;
  /** ∂C/∂b. */
  readonly nablaB: Float32Array;
  private readonly memory: KernelMemory;
  private readonly inputs: number;
  private readonly outputs: number;
  /** Rows per chunk: the scratch holds this many rows of x, z and δ. */
  private readonly chunkRows: number;
  /** A chunk of dense rows of x (and of ∂C/∂x on the way out of the input gradient). */
  private readonly x: Float32Array;
  /** A chunk's non-zero inputs as (column, value) pairs; row n's are pairs rowStart[n] … rowStart[n + 1]. */
  private readonly pairs: Int32Array;
  private readonly rowStart: Int32Array;
  /** z on the way out of forward, δ on the way into the weight gradient. */
  private readonly rowsOut: Float32Array;
  /** What the last forward was given, if it took several chunks: the weight gradient refills the scratch from it. */
  private lastDense: Float32Array | undefined;
  private lastRows: SparseRows | undefined;
  private lastIndices: ArrayLike<number> = [];
  /** The pool that big batches are shared with, while a call given one runs (see {@link ThreadPool}). */
  threads: ThreadPool | undefined;

  private constructor(memory: KernelMemory, inputs: number, outputs: number, chunkRows: number) {
    this.memory = memory;
    this.inputs = inputs;
    this.outputs = outputs;
    this.chunkRows = chunkRows;
    this.weights = memory.floats(inputs * outputs);
    this.biases = memory.floats(outputs);
    this.weightsT = memory.floats(inputs * outputs);
    this.nablaW = memory.floats(inputs * outputs);
    this.nablaB = memory.floats(outputs);
    this.x = memory.floats(chunkRows * inputs);
    this.pairs = memory.ints(2 * chunkRows * inputs);
    this.rowStart = memory.ints(chunkRows + 1);
    this.rowsOut = memory.floats(chunkRows * outputs);
    memory.floats(32); // the kernels read up to 31 floats past a row (of b, W, Wᵀ, ∇W or δ): keep that in bounds
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
    // The sum of the constructor's allocations below, in the same order of terms (an overrun throws in take()).
    const floats = 3 * inputs * outputs + 2 * outputs + 3 * chunkRows * inputs + chunkRows + 1 + chunkRows * outputs + 32;
    const memory = KernelMemory.create(floats, 10);
    return memory === undefined ? undefined : new DenseKernels(memory, inputs, outputs, chunkRows);
  }

  /**
   * z = x·W + b, chunk by chunk.
   *
   * @param x - `batch × inputs` values.
   * @param batch - The number of rows.
   * @param z - Receives `batch × outputs` values.
   */
  forward(x: Float32Array, batch: number, z: Float32Array): void {
    this.lastDense = x;
    this.lastRows = undefined;
    this.forwardChunks(batch, z);
  }

  /**
   * z = x·W + b for the rows `indices` of a sparse matrix, gathered chunk by chunk
   * straight into the kernels' memory.
   *
   * @param x - The sparse matrix, `inputs` wide.
   * @param indices - Its rows that form the batch.
   * @param z - Receives `indices.length × outputs` values.
   */
  forwardRows(x: SparseRows, indices: ArrayLike<number>, z: Float32Array): void {
    this.lastDense = undefined;
    this.lastRows = x;
    this.lastIndices = indices;
    this.forwardChunks(indices.length, z);
  }

  private forwardChunks(batch: number, z: Float32Array): void {
    const { outputs, chunkRows } = this;
    const section = this.section(batch);
    try {
      for (let first = 0; first < batch; first += chunkRows) {
        const rows = Math.min(chunkRows, batch - first);
        this.fill(first, rows);
        const w = this.weights.byteOffset;
        const b = this.biases.byteOffset;
        if (section === undefined) {
          this.memory.kernels.denseForward(this.pairs.byteOffset, this.rowStart.byteOffset, rows, outputs, w, b, this.rowsOut.byteOffset);
        } else {
          // rows are independent: each thread takes a run of them, about equal in pairs
          const calls: number[][] = [];
          const total = this.rowStart[rows] as number;
          let from = 0;
          for (let t = 1; t <= section.size; t++) {
            let to = from;
            while (to < rows && (this.rowStart[to] as number) < (total * t) / section.size) to++;
            if (t === section.size) to = rows;
            calls.push([this.pairs.byteOffset, this.rowStart.byteOffset + 4 * from, to - from, outputs, w, b, this.rowsOut.byteOffset + 4 * from * outputs]);
            from = to;
          }
          section.run('denseForward', calls);
        }
        z.set(this.rowsOut.subarray(0, rows * outputs), first * outputs);
      }
    } finally {
      section?.end();
    }
    if (batch <= chunkRows) {
      // One chunk: its pairs stay in the scratch for the weight gradient, so keep no
      // reference to the input (a training set's SparseRows can be tens of MB).
      this.lastDense = this.lastRows = undefined;
      this.lastIndices = [];
    }
  }

  /** A section of work shared with {@link DenseKernels.threads}, if the batch is big enough and there is one. */
  private section(batch: number): ThreadSection | undefined {
    return batch >= MIN_THREADED_BATCH ? this.threads?.begin(this.memory) : undefined;
  }

  /** Puts the (column, value) pairs of the last forward's rows first … first + rows into the scratch. */
  private fill(first: number, rows: number): void {
    const { inputs, pairs, rowStart } = this;
    if (this.lastDense !== undefined) {
      this.x.set(this.lastDense.subarray(first * inputs, (first + rows) * inputs));
      this.memory.kernels.listNonZero(this.x.byteOffset, rows, inputs, pairs.byteOffset, rowStart.byteOffset);
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
   */
  weightGradient(delta: Float32Array, batch: number): void {
    const { outputs, chunkRows } = this;
    // each ∂C/∂W_kj is summed over the rows in order, so threads share the outputs, in blocks of TILE
    const tiles = Math.ceil(outputs / TILE);
    const section = tiles > 1 ? this.section(batch) : undefined;
    try {
      for (let first = 0; first < batch; first += chunkRows) {
        const rows = Math.min(chunkRows, batch - first);
        // One chunk: forward's pairs are still in place.
        if (batch > chunkRows) this.fill(first, rows);
        this.rowsOut.set(delta.subarray(first * outputs, (first + rows) * outputs));
        const { pairs, rowStart, rowsOut, nablaW, nablaB } = this;
        if (section === undefined) {
          this.memory.kernels.denseWeightGradient(pairs.byteOffset, rowStart.byteOffset, rows, outputs, outputs, rowsOut.byteOffset, nablaW.byteOffset, nablaB.byteOffset);
        } else {
          const threads = Math.min(section.size, tiles);
          const calls: number[][] = [];
          for (let t = 0; t < threads; t++) {
            const j0 = TILE * Math.floor((tiles * t) / threads);
            const j1 = Math.min(outputs, TILE * Math.floor((tiles * (t + 1)) / threads));
            const at = 4 * j0;
            calls.push([pairs.byteOffset, rowStart.byteOffset, rows, outputs, j1 - j0, rowsOut.byteOffset + at, nablaW.byteOffset + at, nablaB.byteOffset + at]);
          }
          section.run('denseWeightGradient', calls);
        }
      }
    } finally {
      section?.end();
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
    const { inputs, outputs, chunkRows } = this;
    const k = this.memory.kernels;
    k.transpose(this.weights.byteOffset, inputs, outputs, this.weightsT.byteOffset);
    for (let first = 0; first < batch; first += chunkRows) {
      const rows = Math.min(chunkRows, batch - first);
      this.rowsOut.set(delta.subarray(first * outputs, (first + rows) * outputs));
      k.denseInputGradient(this.rowsOut.byteOffset, rows, inputs, outputs, this.weightsT.byteOffset, this.x.byteOffset);
      dx.set(this.x.subarray(0, rows * inputs), first * inputs);
    }
  }
}
