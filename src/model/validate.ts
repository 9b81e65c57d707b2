/**
 * Checks on user data at the model's boundary, run before anything is changed.
 *
 * @module
 */
import { DataError, ShapeError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { firstNonFinite } from './non-finite.js';

/**
 * Throws if any element is NaN or ±Infinity, naming the first one's row and column.
 *
 * @param t - The tensor to scan.
 * @param where - The caller, for the message.
 * @param what - What the tensor is (`x`, `y`, …).
 * @throws {@link DataError} at the first non-finite element.
 */
export function checkFinite(t: Tensor, where: string, what: string): void {
  const i = firstNonFinite(t.data);
  if (i === -1) return;
  const cols = t.shape[1];
  throw new DataError(`${where}: ${what} has ${String(t.data[i])} at row ${Math.floor(i / cols)}, column ${i % cols}`);
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
