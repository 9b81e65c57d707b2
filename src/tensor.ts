/**
 * `Tensor`: the one data type of tinydense, a 2-D row-major matrix whose rows are
 * samples and whose columns are features (or neurons).
 *
 * @module
 */
import { DataError, ShapeError, describe, formatShape } from './errors.js';

/** The two element types a tensor can hold: `'float32'` (the default) or `'float64'`. */
export type DType = 'float32' | 'float64';

/** The typed array behind a tensor. */
export type TensorData = Float32Array | Float64Array;

/** A tensor's shape: `[rows, cols]`, rows being samples. */
export type Shape = readonly [rows: number, cols: number];

/**
 * A value accepted wherever a matrix is expected: a {@link Tensor}, or nested
 * arrays of numbers, one inner array per row (sample).
 */
export type TensorLike = Tensor | readonly TensorRow[];

/** One row of a {@link TensorLike}: an array of numbers, or a typed array (such as a `Float32Array` of pixels). */
export type TensorRow = readonly number[] | Float32Array | Float64Array | Int32Array | Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Uint32Array;

/**
 * A 2-D row-major matrix over a `Float32Array` or `Float64Array`. Rows are samples:
 * a batch of 10 MNIST images is a tensor of shape `[10, 784]`, and element (r, c)
 * lives at `data[r * cols + c]`.
 *
 * A tensor's shape and storage are fixed; its elements may be written through
 * {@link Tensor.data}.
 *
 * @example
 * ```ts
 * import { Tensor } from 'tinydense';
 * const x = Tensor.from([[0, 1], [2, 3]]);
 * x.shape;      // [2, 2]
 * x.get(1, 0);  // 2
 * x.toArray();  // [[0, 1], [2, 3]]
 * ```
 */
export class Tensor {
  /** The elements, row after row. */
  readonly data: TensorData;
  /** `[rows, cols]`. */
  readonly shape: Shape;

  /**
   * Wraps a typed array (without copying it) as a `[rows, cols]` matrix.
   *
   * @param data - `rows × cols` elements, row after row.
   * @param shape - `[rows, cols]`, non-negative integers.
   * @throws {@link ShapeError} if the shape is not two non-negative integers or
   *   does not match `data.length`.
   */
  constructor(data: TensorData, shape: readonly [number, number]) {
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ShapeError(`Tensor: data must be a Float32Array or Float64Array, got ${describe(data)}`);
    }
    checkShape('Tensor', shape);
    if (shape[0] * shape[1] !== data.length) {
      throw new ShapeError(
        `Tensor: shape ${formatShape(shape)} needs ${shape[0] * shape[1]} elements, got ${data.length}`,
      );
    }
    this.data = data;
    this.shape = [shape[0], shape[1]];
  }

  /**
   * Builds a tensor from nested arrays, one inner array per row.
   *
   * @param rows - The rows; all must have the same length, and every value must be a number.
   * @param dtype - `'float32'` (default) or `'float64'`.
   * @returns A new tensor of shape `[rows.length, rows[0].length]`.
   * @throws {@link ShapeError} if the rows are ragged. {@link DataError} if a value is not a number.
   * @example
   * ```ts
   * import { Tensor } from 'tinydense';
   * const xor = Tensor.from([[0, 0], [0, 1], [1, 0], [1, 1]], 'float64');
   * ```
   */
  static from(rows: readonly TensorRow[], dtype: DType = 'float32'): Tensor {
    if (!Array.isArray(rows)) throw new ShapeError(`Tensor.from: expected an array of rows, got ${describe(rows)}`);
    const n = rows.length;
    const first: unknown = rows[0];
    if (n > 0 && typeof first === 'number') {
      throw new ShapeError(
        `Tensor.from: expected an array of rows (one array per sample), got a flat array of ${n} numbers; ` +
          'write one value per sample as [[1], [2], …], and class labels as one-hot rows with oneHot(labels, classes)',
      );
    }
    const cols = n === 0 ? 0 : isRow(first) ? first.length : -1;
    if (cols === -1) throw new ShapeError(`Tensor.from: row 0 is ${describe(first)}, not an array of numbers`);
    const out = Tensor.zeros([n, cols], dtype);
    for (let r = 0; r < n; r++) {
      const row: unknown = rows[r];
      if (!isRow(row) || row.length !== cols) {
        throw new ShapeError(`Tensor.from: row ${r} has ${isRow(row) ? `${row.length} values` : describe(row)}, expected ${cols} values like row 0`);
      }
      for (let c = 0; c < cols; c++) {
        const v: unknown = row[c];
        if (typeof v !== 'number') throw new DataError(`Tensor.from: row ${r}, column ${c} is ${describe(v)}, not a number`);
        out.data[r * cols + c] = v;
      }
    }
    return out;
  }

  /**
   * A tensor of zeros.
   *
   * @param shape - `[rows, cols]`.
   * @param dtype - `'float32'` (default) or `'float64'`.
   * @returns A new zero-filled tensor.
   * @throws {@link ShapeError} if the shape is not two non-negative integers.
   * @example
   * ```ts
   * import { Tensor } from 'tinydense';
   * Tensor.zeros([2, 3], 'float64').toArray(); // [[0, 0, 0], [0, 0, 0]]
   * ```
   */
  static zeros(shape: readonly [number, number], dtype: DType = 'float32'): Tensor {
    checkShape('Tensor.zeros', shape);
    return new Tensor(allocate(dtype, shape[0] * shape[1]), shape);
  }

  /** `'float32'` or `'float64'`, from the storage. */
  get dtype(): DType {
    return this.data instanceof Float64Array ? 'float64' : 'float32';
  }

  /** The number of rows (samples). */
  get rows(): number {
    return this.shape[0];
  }

  /** The number of columns (features). */
  get cols(): number {
    return this.shape[1];
  }

  /**
   * One element.
   *
   * @param r - Row index.
   * @param c - Column index.
   * @returns The element at (r, c).
   * @throws {@link ShapeError} if (r, c) is outside the tensor.
   */
  get(r: number, c: number): number {
    if (!isIndex(r, this.shape[0]) || !isIndex(c, this.shape[1])) {
      throw new ShapeError(`Tensor.get: index (${r}, ${c}) is outside shape ${formatShape(this.shape)}`);
    }
    return this.data[r * this.shape[1] + c] as number;
  }

  /**
   * A copy of one row.
   *
   * @param i - Row index.
   * @returns A new typed array (of the tensor's dtype) with the row's `cols` values.
   * @throws {@link ShapeError} if the row does not exist.
   */
  row(i: number): TensorData {
    if (!isIndex(i, this.shape[0])) {
      throw new ShapeError(`Tensor.row: row ${i} is outside shape ${formatShape(this.shape)}`);
    }
    return this.data.slice(i * this.shape[1], (i + 1) * this.shape[1]);
  }

  /**
   * The elements as nested arrays, one per row.
   *
   * @returns A new `number[][]`.
   */
  toArray(): number[][] {
    const [rows, cols] = this.shape;
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) out.push(Array.from(this.data.subarray(r * cols, (r + 1) * cols)));
    return out;
  }

  /**
   * A deep copy.
   *
   * @returns A new tensor with its own storage.
   */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /**
   * This tensor in another dtype: itself when the dtype already matches, a
   * converted copy otherwise.
   *
   * @param dtype - The wanted dtype.
   * @returns A tensor of that dtype.
   */
  astype(dtype: DType): Tensor {
    if (this.dtype === dtype) return this;
    const out = allocate(dtype, this.data.length);
    out.set(this.data);
    return new Tensor(out, this.shape);
  }

  /**
   * Copies the rows at `indices` (in that order) into a new tensor, or into `out`.
   * This is how a mini-batch is drawn from a shuffled training set.
   *
   * @param indices - Row indices, each in `[0, rows)`.
   * @param out - Optional destination of shape `[indices.length, cols]` and the same dtype.
   * @returns `out`, or a new tensor of shape `[indices.length, cols]`.
   * @throws {@link ShapeError} if an index is out of range or `out` has the wrong shape.
   */
  gatherRows(indices: ArrayLike<number>, out?: Tensor): Tensor {
    const [rows, cols] = this.shape;
    const n = indices.length;
    const dest = out ?? Tensor.zeros([n, cols], this.dtype);
    if (dest.shape[0] !== n || dest.shape[1] !== cols || dest.dtype !== this.dtype) {
      throw new ShapeError(
        `Tensor.gatherRows: out must be ${this.dtype} ${formatShape([n, cols])}, got ${dest.dtype} ${formatShape(dest.shape)}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const r = indices[i] as number;
      if (!isIndex(r, rows)) throw new ShapeError(`Tensor.gatherRows: row ${r} is outside shape ${formatShape(this.shape)}`);
      // a short row is copied value by value (a subarray per row costs more, and is garbage)
      if (cols < 64) for (let c = 0; c < cols; c++) dest.data[i * cols + c] = this.data[r * cols + c] as number;
      else dest.data.set(this.data.subarray(r * cols, (r + 1) * cols), i * cols);
    }
    return dest;
  }

  /**
   * Rows `start` (inclusive) to `end` (exclusive), as a copy.
   *
   * @param start - First row.
   * @param end - One past the last row (default: all rows).
   * @returns A new tensor of shape `[end − start, cols]`.
   * @throws {@link ShapeError} if the range is outside the tensor.
   */
  sliceRows(start: number, end: number = this.shape[0]): Tensor {
    const [rows, cols] = this.shape;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start > end) {
      throw new ShapeError(`Tensor.sliceRows: rows ${start}..${end} are outside shape ${formatShape(this.shape)}`);
    }
    return new Tensor(this.data.slice(start * cols, end * cols), [end - start, cols]);
  }

  /**
   * The column index of the largest value in each row (the first one on ties):
   * the predicted class of each sample.
   *
   * @returns One index per row.
   */
  argmaxRows(): Int32Array {
    const [rows, cols] = this.shape;
    const out = new Int32Array(rows);
    const d = this.data;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestValue = d[r * cols] as number;
      for (let c = 1; c < cols; c++) {
        const v = d[r * cols + c] as number;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      out[r] = best;
    }
    return out;
  }
}

/**
 * Turns a {@link TensorLike} into a tensor of the wanted dtype (no copy when it
 * already is one).
 *
 * @param value - A tensor or nested arrays.
 * @param dtype - The dtype wanted.
 * @param where - The component asking, for error messages.
 * @returns A tensor of `dtype`.
 * @throws {@link ShapeError} if the value is neither a tensor nor rectangular nested arrays.
 */
export function toTensor(value: TensorLike, dtype: DType, where: string): Tensor {
  if (value instanceof Tensor) return value.astype(dtype);
  if (Array.isArray(value)) {
    try {
      return Tensor.from(value, dtype);
    } catch (e) {
      if (e instanceof Error) e.message = `${where}: ${e.message}`;
      throw e;
    }
  }
  throw new ShapeError(`${where}: expected a Tensor or an array of rows, got ${describe(value)}`);
}

/**
 * A new zero-filled typed array of the dtype.
 *
 * @param dtype - `'float32'` or `'float64'`.
 * @param length - The number of elements.
 * @returns A `Float32Array` or `Float64Array`.
 */
export function allocate(dtype: DType, length: number): TensorData {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** Whether a value can be a row: an array, or a typed array of numbers. */
function isRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

function checkShape(where: string, shape: unknown): void {
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !shape.every((d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw new ShapeError(`${where}: shape must be [rows, cols] of non-negative integers, got ${describe(shape)}`);
  }
}

function isIndex(i: number, n: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < n;
}

/**
 * Returns `buffer` when it already has shape `[rows, cols]` and the dtype, a new
 * zero tensor otherwise: how layers allocate once per shape and reuse after.
 *
 * @param buffer - The buffer kept from the previous call, if any.
 * @param rows - Rows wanted.
 * @param cols - Columns wanted.
 * @param dtype - Dtype wanted.
 * @returns A tensor of that shape and dtype.
 */
export function reuse(buffer: Tensor | undefined, rows: number, cols: number, dtype: DType): Tensor {
  if (buffer !== undefined && buffer.shape[0] === rows && buffer.shape[1] === cols && buffer.dtype === dtype) return buffer;
  return Tensor.zeros([rows, cols], dtype);
}
