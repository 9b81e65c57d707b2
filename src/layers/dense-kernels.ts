/**
 * The fast path of a float32 `Dense` layer: its parameters and gradients live in a
 * {@link KernelMemory}, and the forward product and the weight gradient run as
 * WebAssembly SIMD kernels over chunks of rows copied in beside them.
 *
 * @module
 */
import { KernelMemory } from '../wasm/kernels.js';

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
  private readonly x: Float32Array;
  private readonly nonZero: Int32Array;
  private readonly rowStart: Int32Array;
  /** The same list column by column, for the weight gradient. */
  private readonly colStart: Int32Array;
  private readonly colRows: Int32Array;
  /** z on the way out of forward, δ on the way into the weight gradient. */
  private readonly rowsOut: Float32Array;

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
    this.nonZero = memory.ints(chunkRows * inputs);
    this.rowStart = memory.ints(chunkRows + 1);
    this.colStart = memory.ints(inputs + 1);
    this.colRows = memory.ints(chunkRows * inputs);
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
    // About 256 KB of input rows per chunk: the chunk and its index list stay in cache.
    const chunkRows = Math.max(8, Math.min(1024, Math.floor(65536 / inputs)));
    // The sum of the constructor's allocations below, in the same order of terms (an overrun throws in take()).
    const floats = 3 * inputs * outputs + 2 * outputs + 3 * chunkRows * inputs + chunkRows + inputs + 2 + chunkRows * outputs + 32;
    const memory = KernelMemory.create(floats, 12);
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
    const { inputs, outputs, chunkRows } = this;
    const k = this.memory.kernels;
    for (let first = 0; first < batch; first += chunkRows) {
      const rows = Math.min(chunkRows, batch - first);
      this.x.set(x.subarray(first * inputs, (first + rows) * inputs));
      k.denseForward(
        this.x.byteOffset, rows, inputs, outputs, this.weights.byteOffset, this.biases.byteOffset,
        this.rowsOut.byteOffset, this.nonZero.byteOffset, this.rowStart.byteOffset,
      );
      z.set(this.rowsOut.subarray(0, rows * outputs), first * outputs);
    }
  }

  /**
   * Adds ∂C/∂W = xᵀ·δ and ∂C/∂b = Σₙ δₙ into {@link DenseKernels.nablaW} and
   * {@link DenseKernels.nablaB}.
   *
   * @param x - The `batch × inputs` values last passed to {@link DenseKernels.forward}, unchanged since.
   * @param delta - δ, `batch × outputs` values.
   * @param batch - The number of rows.
   */
  weightGradient(x: Float32Array, delta: Float32Array, batch: number): void {
    const { inputs, outputs, chunkRows } = this;
    const k = this.memory.kernels;
    for (let first = 0; first < batch; first += chunkRows) {
      const rows = Math.min(chunkRows, batch - first);
      // One chunk: forward's copy of x and its list of non-zero inputs are still in place.
      if (batch > chunkRows) {
        this.x.set(x.subarray(first * inputs, (first + rows) * inputs));
        k.listNonZero(this.x.byteOffset, rows, inputs, this.nonZero.byteOffset, this.rowStart.byteOffset);
      }
      this.rowsOut.set(delta.subarray(first * outputs, (first + rows) * outputs));
      k.denseWeightGradient(
        this.x.byteOffset, rows, inputs, outputs, this.rowsOut.byteOffset, this.nablaW.byteOffset,
        this.nablaB.byteOffset, this.nonZero.byteOffset, this.rowStart.byteOffset, this.colStart.byteOffset, this.colRows.byteOffset,
      );
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
