/**
 * `SparseRows`: a float32 matrix kept as its non-zero entries only, row after
 * row (compressed sparse rows).
 *
 * @module
 */
import { ShapeError, formatShape } from '../errors.js';
import type { Shape, Tensor } from '../tensor.js';

/**
 * A float32 matrix stored by its non-zero entries, row after row, each entry a
 * (column, value) pair. The training loop packs a mostly-zero training set this
 * way once per call (see `ops.packRows`), and a dense layer takes each mini-batch
 * as a list of its rows: a batch is then gathered from the non-zero pairs only,
 * and nobody scans it for zeros again. The entries are in increasing column
 * order, so a sum over them adds exactly what a sum over the dense row's
 * non-zero values adds, in the same order.
 */
export class SparseRows {
  /** The dense shape, `[rows, cols]`. */
  readonly shape: Shape;
  /**
   * The entries, two 32-bit slots each: entry t's column is `pairs[2t]`; its
   * value, as float32 bits, is `pairs[2t + 1]` (read it as `values[2t + 1]`).
   */
  readonly pairs: Int32Array;
  /** The same memory as {@link SparseRows.pairs}, read as float32: entry t's value is `values[2t + 1]`. */
  readonly values: Float32Array;
  /** Row r's entries are `rowStart[r] … rowStart[r + 1]` (exclusive); `rows + 1` values. */
  readonly rowStart: Int32Array;

  private constructor(shape: Shape, pairs: Int32Array, rowStart: Int32Array) {
    this.shape = shape;
    this.pairs = pairs;
    this.values = new Float32Array(pairs.buffer, pairs.byteOffset, pairs.length);
    this.rowStart = rowStart;
  }

  /**
   * The non-zero entries of a float32 tensor, if there are few enough of them.
   *
   * @param x - A float32 tensor.
   * @param maxDensity - The largest share of non-zero entries worth storing this way
   *   (default 1: always). Above it, `undefined` is returned: at more than half, the
   *   pairs take more memory than the dense values.
   * @returns The sparse rows, or `undefined` if x is denser than `maxDensity`.
   * @throws {@link ShapeError} if x is not float32.
   */
  static fromDense(x: Tensor, maxDensity = 1): SparseRows | undefined {
    if (x.dtype !== 'float32') throw new ShapeError(`SparseRows.fromDense: expected a float32 tensor, got ${x.dtype} ${formatShape(x.shape)}`);
    const [rows, cols] = x.shape;
    const data = x.data;
    let count = 0;
    for (let i = 0; i < data.length; i++) count += data[i] !== 0 ? 1 : 0;
    if (count > maxDensity * data.length) return undefined;
    const pairs = new Int32Array(2 * count);
    const values = new Float32Array(pairs.buffer);
    const rowStart = new Int32Array(rows + 1);
    let t = 0;
    for (let r = 0; r < rows; r++) {
      rowStart[r] = t;
      for (let k = r * cols, end = k + cols; k < end; k++) {
        const v = data[k] as number;
        if (v === 0) continue;
        pairs[2 * t] = k - r * cols;
        values[2 * t + 1] = v;
        t++;
      }
    }
    rowStart[rows] = t;
    return new SparseRows([rows, cols], pairs, rowStart);
  }

  /** How many entries are stored (non-zero). */
  get nonZeroCount(): number {
    return this.rowStart[this.shape[0]] as number;
  }

  /**
   * Writes the rows `indices` as a dense float32 batch (zeros where nothing is stored).
   *
   * @param indices - Row numbers, each in `[0, rows)` (not checked: callers pass a permutation's slice).
   * @param out - A float32 `[indices.length, cols]` buffer to overwrite.
   */
  denseRows(indices: ArrayLike<number>, out: Float32Array): void {
    const cols = this.shape[1];
    out.fill(0);
    for (let n = 0; n < indices.length; n++) {
      const r = indices[n] as number;
      for (let t = this.rowStart[r] as number, end = this.rowStart[r + 1] as number; t < end; t++) {
        out[n * cols + (this.pairs[2 * t] as number)] = this.values[2 * t + 1] as number;
      }
    }
  }
}
