/**
 * Checks on user data at the model's boundary, run before anything is changed.
 *
 * @module
 */
import { DataError, ShapeError, formatShape } from '../errors.js';
import type { Tensor, TensorData } from '../tensor.js';
import type { Sequential } from './sequential.js';
import { KernelMemory } from '../wasm/kernels.js';
import { firstNonFinite } from './non-finite.js';

/**
 * Throws if any element is NaN or ±Infinity, naming the first one's row and column.
 *
 * @param t - The tensor to scan.
 * @param where - The caller, for the message.
 * @param what - What the tensor is (`x`, `y`, …).
 * @returns The smallest and largest element (`[Infinity, -Infinity]` when empty).
 * @throws {@link DataError} at the first non-finite element.
 */
export function checkFinite(t: Tensor, where: string, what: string): readonly [number, number] {
  const range = valueRange(t.data);
  if ((Number.isFinite(range[0]) && Number.isFinite(range[1])) || t.data.length === 0) return range;
  const i = firstNonFinite(t.data);
  const cols = t.shape[1];
  throw new DataError(`${where}: ${what} has ${String(t.data[i])} at row ${Math.floor(i / cols)}, column ${i % cols}`);
}

/** Values per chunk copied to the range kernel: 256 KB of float32, which stays in cache. */
const RANGE_CHUNK = 65536;

/** The range kernel's memory, made once and shared: a chunk of input and the running [min, max]. */
interface RangeScratch {
  readonly memory: KernelMemory;
  readonly floats: Float32Array;
  readonly doubles: Float64Array;
  readonly out: Float64Array;
}

let scratch: RangeScratch | null | undefined; // undefined: not made yet; null: no kernels here

function rangeScratch(): RangeScratch | null {
  if (scratch === undefined) {
    const memory = KernelMemory.create(RANGE_CHUNK + 4, 2);
    if (memory === undefined) scratch = null;
    else {
      const doubles = memory.doubles(RANGE_CHUNK / 2);
      // float32 data uses the same chunk, as floats
      scratch = { memory, doubles, floats: new Float32Array(doubles.buffer, doubles.byteOffset, RANGE_CHUNK), out: memory.doubles(2) };
    }
  }
  return scratch;
}

/**
 * The smallest and largest value, in one pass. Math.min and Math.max carry NaN,
 * and ±Infinity lands at an end, so both are finite exactly when every value is.
 * Large arrays go through a WebAssembly SIMD kernel in chunks (the same min and
 * max, computed four lanes at a time), small ones or those without the kernels
 * through the TypeScript loop.
 *
 * @param data - The values.
 * @returns `[min, max]`; `[Infinity, -Infinity]` when empty.
 */
export function valueRange(data: TensorData): readonly [number, number] {
  const kernel = data.length >= 4096 ? rangeScratch() : null;
  if (kernel === null) return valueRangeLoop(data);
  const { memory, out } = kernel;
  out[0] = Infinity;
  out[1] = -Infinity;
  const wide = data instanceof Float64Array;
  const chunk = wide ? kernel.doubles : kernel.floats;
  for (let start = 0; start < data.length; start += chunk.length) {
    const part = data.subarray(start, Math.min(data.length, start + chunk.length));
    chunk.set(part);
    if (wide) memory.kernels.valueRange64(chunk.byteOffset, part.length, out.byteOffset);
    else memory.kernels.valueRange32(chunk.byteOffset, part.length, out.byteOffset);
  }
  return [out[0] as number, out[1] as number];
}

/** {@link valueRange} in TypeScript: four interleaved lanes, to keep the chains short. */
function valueRangeLoop(data: TensorData): readonly [number, number] {
  let lo0 = Infinity;
  let lo1 = Infinity;
  let lo2 = Infinity;
  let lo3 = Infinity;
  let hi0 = -Infinity;
  let hi1 = -Infinity;
  let hi2 = -Infinity;
  let hi3 = -Infinity;
  const end = data.length - (data.length % 4);
  for (let i = 0; i < end; i += 4) {
    const a = data[i] as number;
    const b = data[i + 1] as number;
    const c = data[i + 2] as number;
    const d = data[i + 3] as number;
    lo0 = Math.min(lo0, a);
    hi0 = Math.max(hi0, a);
    lo1 = Math.min(lo1, b);
    hi1 = Math.max(hi1, b);
    lo2 = Math.min(lo2, c);
    hi2 = Math.max(hi2, c);
    lo3 = Math.min(lo3, d);
    hi3 = Math.max(hi3, d);
  }
  for (let i = end; i < data.length; i++) {
    lo0 = Math.min(lo0, data[i] as number);
    hi0 = Math.max(hi0, data[i] as number);
  }
  return [Math.min(lo0, lo1, lo2, lo3), Math.max(hi0, hi1, hi2, hi3)];
}

/**
 * Throws unless `t` has `width` columns.
 *
 * @param t - The tensor.
 * @param width - The expected number of columns.
 * @param where - The caller, for the message.
 * @param what - What the tensor is.
 * @throws {@link ShapeError} on a mismatch.
 */
export function checkWidth(t: Tensor, width: number, where: string, what: string): void {
  if (t.shape[1] !== width) throw new ShapeError(`${where}: expected ${what} of shape [batch, ${width}], got ${formatShape(t.shape)}`);
}

/**
 * Throws unless x and y have the same number of rows (one target per sample).
 *
 * @param x - Inputs.
 * @param y - Targets.
 * @param where - The caller, for the message.
 * @throws {@link ShapeError} on a mismatch.
 */
export function checkRows(x: Tensor, y: Tensor, where: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(`${where}: x has ${x.shape[0]} rows but y has ${y.shape[0]} (x ${formatShape(x.shape)}, y ${formatShape(y.shape)})`);
  }
}

/**
 * Records the range of the training inputs on the model the first time it is
 * trained, and warns when later inputs lie far outside it (say 0–255 pixels for a
 * model trained on 0–1): more than ten times the trained span beyond it.
 *
 * @param model - The model.
 * @param range - The inputs' smallest and largest value, as {@link checkFinite} returns them.
 * @param where - The caller, for the message.
 * @param onWarning - Where the warning goes (default `console.warn`).
 * @param record - Whether a first training run records its range (fit: true; predict, evaluate: false).
 */
export function warnIfOutOfRange(
  model: Sequential,
  range: readonly [number, number],
  where: string,
  onWarning?: (message: string) => void,
  record = true,
): void {
  const [lo, hi] = range;
  if (lo > hi) return; // no values
  const trained = model.inputRange;
  if (trained === undefined) {
    if (record) model.inputRange = [lo, hi];
    return;
  }
  const span = Math.max(trained[1] - trained[0], 1e-12);
  if (hi > trained[1] + 10 * span || lo < trained[0] - 10 * span) {
    (onWarning ?? console.warn)(
      `${where}: x has values in [${lo}, ${hi}], far outside [${trained[0]}, ${trained[1]}] seen in training; were the inputs scaled the same way (e.g. pixels / 255)?`,
    );
  }
}
