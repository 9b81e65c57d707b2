/**
 * The mini-batches of one training run: the order of the samples, the buffers
 * each batch is gathered into, and how the inputs are stored.
 *
 * @module
 */
import * as ops from '../backend/ops.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import type { Rng } from '../rng.js';
import { Tensor } from '../tensor.js';

/**
 * A float32 training set is packed as its non-zero values (see `ops.packRows`)
 * when at most this share of them is non-zero. At more than half, the (column,
 * value) pairs take more memory than the dense values and a batch of them is no
 * cheaper to gather. Images with a blank background, such as MNIST's digits, pack
 * well; standardised features do not, and stay dense.
 */
export const PACK_MAX_DENSITY = 0.5;

/**
 * Narrower inputs are never packed: with a handful of columns there is little
 * to skip, and a packed batch costs a row-batch object per step (XOR's rows of
 * two, half zeros, were packed; docs/performance.md has what it cost).
 */
export const PACK_MIN_WIDTH = 64;

/** One mini-batch: its inputs (a tensor, or rows for a `Dense` first layer) and its targets. */
export interface Batch {
  /** The inputs, `[size, inputWidth]`. */
  readonly x: Tensor | ops.RowBatch;
  /** The targets, `[size, outputWidth]`. */
  readonly y: Tensor;
}

/**
 * The batches of a training set, epoch after epoch. Buffers are allocated once
 * per batch size (the last batch of an epoch may be shorter) and reused.
 */
export class BatchSource {
  /** The number of samples. */
  readonly size: number;
  private readonly x: Tensor;
  private readonly y: Tensor;
  private readonly order: Uint32Array;
  private readonly first: Layer;
  /** The set as packed rows, and the `Dense` first layer that takes them. */
  private readonly packed: { readonly rows: ops.PackedRows; readonly into: Dense } | undefined;
  private readonly buffers = new Map<number, { x?: Tensor; y: Tensor }>();

  /**
   * @param x - The inputs, `[n, inputWidth]`.
   * @param y - The targets, `[n, outputWidth]`.
   * @param first - The model's first layer: a `Dense` takes a float32 set's batches as packed rows.
   */
  constructor(x: Tensor, y: Tensor, first: Layer) {
    this.x = x;
    this.y = y;
    this.size = x.shape[0];
    this.order = new Uint32Array(this.size);
    this.first = first;
    const rows = first instanceof Dense && x.shape[1] >= PACK_MIN_WIDTH ? ops.packRows(x, PACK_MAX_DENSITY) : undefined;
    this.packed = rows === undefined ? undefined : { rows, into: first as Dense };
  }

  /**
   * Starts an epoch: the samples in their stored order, or shuffled with `rng`.
   *
   * @param rng - The model's RNG, or `undefined` to keep the stored order.
   */
  startEpoch(rng: Rng | undefined): void {
    const { order } = this;
    for (let i = 0; i < order.length; i++) order[i] = i;
    rng?.shuffle(order);
  }

  /**
   * The batch of the epoch's samples `start … start + size`. A full batch (the
   * whole set, never shuffled) uses the set's own tensors rather than copies.
   *
   * @param start - The first sample, in the epoch's order.
   * @param size - The number of samples.
   * @returns The batch (its tensors are buffers reused by the next batch of the same size).
   */
  batch(start: number, size: number): Batch {
    const rows = this.order.subarray(start, start + size);
    const whole = size === this.size;
    let buffers = this.buffers.get(size);
    if (buffers === undefined && !whole) {
      buffers = { y: Tensor.zeros([size, this.y.shape[1]], this.y.dtype) };
      this.buffers.set(size, buffers);
    }
    const y = buffers === undefined ? this.y : this.y.gatherRows(rows, buffers.y);
    if (this.packed !== undefined) return { x: ops.rowBatch(this.packed.rows, rows), y };
    if (buffers === undefined) return { x: this.x, y };
    return { x: this.x.gatherRows(rows, (buffers.x ??= Tensor.zeros([size, this.x.shape[1]], this.x.dtype))), y };
  }

  /**
   * Feeds a batch's inputs through the first layer, in training mode.
   *
   * @param batch - A batch of this source.
   * @returns The first layer's output.
   */
  forwardFirst(batch: Batch): Tensor {
    if (ops.isRowBatch(batch.x)) return (this.packed as { readonly into: Dense }).into.forwardRows(batch.x);
    return this.first.forward(batch.x, true);
  }
}
