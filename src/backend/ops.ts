/**
 * The one door to the speed machinery. The maths (layers, activations,
 * optimizers, training) calls these typed operations; each chooses, per call, a
 * WebAssembly SIMD kernel or the reference loop (reference.ts), and shares big
 * work with the thread pool lent for the current call (see {@link withThreads}).
 *
 * Every path returns the same bits: a kernel computes exactly what its reference
 * loop computes, on one thread or many.
 *
 * @module
 */
import { ShapeError, describe, formatShape } from '../errors.js';
import { Tensor, reuse, type DType, type TensorData } from '../tensor.js';
import { DenseReference, adamStep as adamStepReference, momentumStep as momentumStepReference, sgdStep as sgdStepReference, type AdamStepSettings } from './reference.js';
import { SparseRows } from './sparse-rows.js';
import { ThreadPool } from './threads/thread-pool.js';
import { DenseKernels } from './wasm/dense-kernels.js';
import { KernelMemory, f32, f64 } from './wasm/module.js';
import { sigmoidKernel } from './wasm/sigmoid.js';

export type { AdamStepSettings, ThreadPool };

/**
 * Whether a value is a {@link ThreadPool}.
 *
 * @param x - The value.
 * @returns True for a pool.
 */
export function isThreadPool(x: unknown): x is ThreadPool {
  return x instanceof ThreadPool;
}

/** The pool lent to the operations for the current call, if any. */
let lent: ThreadPool | undefined;

/**
 * Runs `body` with a pool lent to every operation it calls (big batches are then
 * shared with the pool's workers), and takes the pool back afterwards, also when
 * `body` throws. Results are bit-identical without it.
 *
 * @param threads - The pool, or `undefined` (then `body` just runs).
 * @param body - The work.
 * @returns What `body` returns.
 */
export function withThreads<T>(threads: ThreadPool | undefined, body: () => T): T {
  if (threads === undefined) return body();
  const before = lendThreads(threads);
  try {
    return body();
  } finally {
    restoreThreads(before);
  }
}

/**
 * {@link withThreads} without a closure, for hot paths: lends `threads` (when
 * given) until the caller hands what this returns to {@link restoreThreads}, in a `finally`.
 *
 * @param threads - The pool, or `undefined` (then nothing changes).
 * @returns The pool lent before.
 */
export function lendThreads(threads: ThreadPool | undefined): ThreadPool | undefined {
  const before = lent;
  if (threads !== undefined) lent = threads;
  return before;
}

/**
 * Takes back a pool lent by {@link lendThreads}.
 *
 * @param before - What {@link lendThreads} returned.
 */
export function restoreThreads(before: ThreadPool | undefined): void {
  lent = before;
}

/**
 * The parameters and gradients of a dense layer, allocated where the kernels can
 * reach them, with whatever the operations keep between a forward and a backward
 * pass. A layer creates one with {@link denseStore} and hands it to the `dense*`
 * operations; it reads and writes the four tensors like any others.
 */
export interface DenseStore {
  /** W, `[inputs, outputs]`. */
  readonly weights: Tensor;
  /** b, `[1, outputs]`. */
  readonly biases: Tensor;
  /** ∂C/∂W, `[inputs, outputs]`. */
  readonly nablaW: Tensor;
  /** ∂C/∂b, `[1, outputs]`. */
  readonly nablaB: Tensor;
  /** Whether the SIMD kernels run this layer (float32, where WebAssembly SIMD runs). */
  readonly simd: boolean;
}

/** {@link DenseStore} with the machinery behind it. */
class Store implements DenseStore {
  readonly weights: Tensor;
  readonly biases: Tensor;
  readonly nablaW: Tensor;
  readonly nablaB: Tensor;
  readonly kernels: DenseKernels | undefined;
  readonly reference: DenseReference;
  /** The dense copy of a row batch, for the reference loops. */
  gathered: Tensor | undefined;
  /** Whether the last forward ran on the reference loops although the layer has kernels (too little work): the gradients follow it there. */
  small = false;

  constructor(inputs: number, outputs: number, dtype: DType) {
    const kernels = (this.kernels = dtype === 'float32' ? DenseKernels.create(inputs, outputs) : undefined);
    this.reference = new DenseReference(inputs, outputs);
    this.weights = kernels ? new Tensor(kernels.weights, [inputs, outputs]) : Tensor.zeros([inputs, outputs], dtype);
    this.biases = kernels ? new Tensor(kernels.biases, [1, outputs]) : Tensor.zeros([1, outputs], dtype);
    this.nablaW = kernels ? new Tensor(kernels.nablaW, [inputs, outputs]) : Tensor.zeros([inputs, outputs], dtype);
    this.nablaB = kernels ? new Tensor(kernels.nablaB, [1, outputs]) : Tensor.zeros([1, outputs], dtype);
  }

  get simd(): boolean {
    return this.kernels !== undefined;
  }
}

/**
 * A new dense layer's zeroed parameters and gradients.
 *
 * @param inputs - The input width.
 * @param outputs - The output width.
 * @param dtype - The dtype of the parameters.
 * @returns The store.
 */
export function denseStore(inputs: number, outputs: number, dtype: DType): DenseStore {
  return new Store(inputs, outputs, dtype);
}

/**
 * Rows of a stored training set, picked by index: a mini-batch that is never
 * gathered into a dense tensor. Made by {@link rowBatch}; only a `Dense` first
 * layer takes one.
 */
export interface RowBatch {
  /** The rows the set is stored as. */
  readonly rows: PackedRows;
  /** The batch's rows of the set. */
  readonly indices: Uint32Array;
}

/** A float32 training set kept as its non-zero values only (see {@link packRows}). */
export type PackedRows = SparseRows;

/**
 * The rows of a float32 tensor kept as their non-zero values only, if no more
 * than `maxDensity` of its values are non-zero; a batch of them is then a list
 * of (column, value) pairs to copy rather than every value.
 *
 * @param x - A float32 tensor.
 * @param maxDensity - The largest share of non-zero values worth packing.
 * @returns The packed rows, or `undefined` for a float64 or denser tensor.
 */
export function packRows(x: Tensor, maxDensity: number): PackedRows | undefined {
  return x.dtype === 'float32' ? SparseRows.fromDense(x, maxDensity) : undefined;
}

/**
 * A batch of packed rows.
 *
 * @param rows - The packed set.
 * @param indices - Its rows that form the batch, each in `[0, rows.shape[0])`.
 * @returns The batch.
 * @throws {@link ShapeError} if an index is outside the set.
 */
export function rowBatch(rows: PackedRows, indices: Uint32Array): RowBatch {
  for (let n = 0; n < indices.length; n++) {
    const r = indices[n] as number;
    if (r >= rows.shape[0]) throw new ShapeError(`rowBatch: row ${describe(r)} is outside the packed rows' shape ${formatShape(rows.shape)}`);
  }
  return { rows, indices };
}

/**
 * Whether a layer's input is a {@link RowBatch} rather than a tensor.
 *
 * @param x - The input.
 * @returns True for a row batch.
 */
export function isRowBatch(x: Tensor | RowBatch): x is RowBatch {
  return !(x instanceof Tensor);
}

/**
 * The shape of an input: a tensor's, or `[batch, width]` of a row batch.
 *
 * @param x - The input.
 * @returns `[rows, columns]`.
 */
export function inputShape(x: Tensor | RowBatch): readonly [number, number] {
  return isRowBatch(x) ? [x.indices.length, x.rows.shape[1]] : x.shape;
}

/**
 * Below this much work (rows × inputs × outputs, or the values of an SGD step) a
 * call runs the reference loops even on a layer that has kernels: a WebAssembly
 * call and its copies then cost more than the arithmetic. The same bits either
 * way, so the limit is a matter of speed only (how it was chosen: docs/performance.md).
 */
let smallWork = 600;

/**
 * Sets the work below which calls use the reference loops (0: the kernels always,
 * where a layer has them). For the tests that compare the two paths on small shapes.
 *
 * @internal
 * @param limit - The new limit.
 * @returns The previous one.
 */
export function setSmallWork(limit: number): number {
  const previous = smallWork;
  smallWork = limit;
  return previous;
}

/** The dense rows the kernels last scanned, with their [min, max] (see {@link scannedRange}). */
let scanned: { readonly data: TensorData; readonly range: readonly [number, number] } | undefined;

/**
 * z = x·W + b for a batch of rows. The kernels scan a dense x for its smallest and
 * largest value on their way (see {@link scannedRange}).
 *
 * @param store - The layer's store.
 * @param x - `[batch, inputs]` in the store's dtype, or a row batch (float32 stores).
 * @param z - Receives `[batch, outputs]`.
 * @throws {@link ShapeError} if a row batch is given to a float64 store.
 */
export function denseForward(store: DenseStore, x: Tensor | RowBatch, z: Tensor): void {
  const s = store as Store;
  const batch = z.shape[0];
  scanned = undefined;
  const [, inputs] = inputShape(x);
  s.small = s.kernels !== undefined && batch * inputs * z.shape[1] < smallWork;
  const kernels = s.small ? undefined : s.kernels;
  if (isRowBatch(x)) {
    const { rows, indices } = x;
    if (s.weights.dtype !== 'float32') throw new ShapeError(`denseForward: a row batch needs a float32 layer, got ${s.weights.dtype}`);
    if (kernels !== undefined) return kernels.forwardRows(rows, indices, z.data as Float32Array, lent);
    const dense = (s.gathered = reuse(s.gathered, batch, rows.shape[1], 'float32'));
    rows.denseRows(indices, dense.data as Float32Array);
    return s.reference.forward(dense.data, batch, s.weights.data, s.biases.data, z.data);
  }
  if (kernels === undefined) return s.reference.forward(x.data, batch, s.weights.data, s.biases.data, z.data);
  kernels.forward(x.data as Float32Array, batch, z.data as Float32Array, lent);
  const range = kernels.lastInputRange;
  if (range !== undefined) scanned = { data: x.data, range };
}

/**
 * The smallest and largest value of `x`, if the last {@link denseForward} scanned
 * exactly these values on its way (a kernel does, for a dense float32 input);
 * read once, then forgotten. Lets a caller check its input without a pass of its own.
 *
 * @param x - The input the last forward was given.
 * @returns `[min, max]` (both NaN if any value was NaN), or `undefined`.
 */
export function scannedRange(x: Tensor): readonly [number, number] | undefined {
  const found = scanned?.data === x.data ? scanned.range : undefined;
  scanned = undefined;
  return found;
}

/**
 * Adds ∂C/∂W = xᵀ·δ (BP4) and ∂C/∂b = Σₙ δₙ (BP3) into the store's gradients, for
 * the x of the last {@link denseForward} on this store (which must be unchanged since).
 *
 * @param store - The layer's store.
 * @param delta - δ = ∂C/∂z, `[batch, outputs]`.
 */
export function denseWeightGradient(store: DenseStore, delta: Tensor): void {
  const s = store as Store;
  const batch = delta.shape[0];
  if (s.kernels !== undefined && !s.small) s.kernels.weightGradient(delta.data as Float32Array, batch, lent);
  else s.reference.weightGradient(delta.data, batch, s.nablaW.data, s.nablaB.data);
}

/**
 * ∂C/∂x = δ·Wᵀ, after {@link denseWeightGradient} for the same δ.
 *
 * @param store - The layer's store.
 * @param delta - δ = ∂C/∂z, `[batch, outputs]`.
 * @param dx - Receives `[batch, inputs]`.
 */
export function denseInputGradient(store: DenseStore, delta: Tensor, dx: Tensor): void {
  const s = store as Store;
  const batch = delta.shape[0];
  if (s.kernels !== undefined && !s.small) s.kernels.inputGradient(delta.data as Float32Array, batch, dx.data as Float32Array);
  else s.reference.inputGradient(delta.data, batch, s.weights.data, dx.data);
}

/**
 * w ← decay·w − η·g, in float32 arithmetic for float32 values.
 *
 * @param w - The parameter's values, updated in place.
 * @param g - Its gradient.
 * @param eta - η.
 * @param decay - The weight decay factor (1 for none).
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function sgdStep(w: TensorData, g: TensorData, eta: number, decay: number): number {
  const memory = w instanceof Float32Array && w.length >= smallWork ? KernelMemory.holding(w, g) : undefined;
  if (memory === undefined) return sgdStepReference(w, g, eta, decay);
  return memory.kernels.call('sgdStep', { w: f32(w as Float32Array), grad: f32(g as Float32Array), length: w.length, eta, decay });
}

/**
 * One step of SGD with momentum: velocity ← μ·velocity − η·g, w ← decay·w + velocity (in float64).
 *
 * @param w - The parameter's values, updated in place.
 * @param g - Its gradient.
 * @param velocity - Its velocity, updated in place.
 * @param mu - μ.
 * @param eta - η.
 * @param decay - The weight decay factor (1 for none).
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function momentumStep(w: TensorData, g: TensorData, velocity: Float64Array, mu: number, eta: number, decay: number): number {
  return momentumStepReference(w, g, velocity, mu, eta, decay);
}

/**
 * One Adam step: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η m̂ / (√v̂ + ε), in float64
 * (the bias corrections folded into two factors per step: see {@link AdamStepSettings}).
 *
 * @param w - The parameter's values, updated in place.
 * @param g - Its gradient.
 * @param m - Its first-moment estimate, updated in place.
 * @param v - Its second-moment estimate, updated in place.
 * @param settings - β₁, β₂, ε and the step's factors η/(1 − β₁ᵗ) and 1/√(1 − β₂ᵗ).
 * @returns The sum of the new values: finite exactly when they all are, barring a huge sum.
 */
export function adamStep(w: TensorData, g: TensorData, m: Float64Array, v: Float64Array, settings: AdamStepSettings): number {
  const memory = w instanceof Float32Array && w.length >= smallWork ? KernelMemory.holding(w, g) : undefined;
  if (memory === undefined || m.buffer !== w.buffer || v.buffer !== w.buffer) return adamStepReference(w, g, m, v, settings);
  const { beta1, beta2, epsilon, stepSize, rootCorrection } = settings;
  return memory.kernels.call('adamStep', {
    w: f32(w as Float32Array), grad: f32(g as Float32Array), m: f64(m), v: f64(v), length: w.length,
    beta1, keep1: 1 - beta1, beta2, keep2: 1 - beta2, epsilon, stepSize, rootCorrection,
  });
}

/**
 * A zeroed float64 array as long as a parameter, for an optimizer's per-value
 * state (Adam's moments, a velocity): where the parameter lives in a kernel
 * memory with room left, there too, so that the optimizer's kernel can reach it.
 *
 * @param value - The parameter's values.
 * @returns The array.
 */
export function optimizerSlot(value: Tensor): Float64Array {
  const { data } = value;
  const memory = data instanceof Float32Array ? KernelMemory.of(data) : undefined;
  return memory?.doubles(data.length) ?? new Float64Array(data.length);
}

/**
 * σ over a whole array with the kernel, where it takes it: float32 arrays long
 * enough to repay the copy into its memory, shared with the lent pool when very long.
 *
 * @param z - Pre-activations.
 * @param a - Receives σ(z), each value the float32 that the reference σ's float64 value rounds to.
 * @returns False (and nothing written) where the caller's reference loop must run instead.
 */
export function sigmoid(z: TensorData, a: TensorData): boolean {
  return z instanceof Float32Array && a instanceof Float32Array && sigmoidKernel(z, a, lent);
}
