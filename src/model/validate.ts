/**
 * Checks on user data at the model's boundary, run before anything is changed.
 *
 * @module
 */
import { DataError, ShapeError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Sequential } from './sequential.js';
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

/**
 * Records the range of the training inputs on the model the first time it is
 * trained, and warns when later inputs lie far outside it (say 0–255 pixels for a
 * model trained on 0–1): more than ten times the trained span beyond it.
 *
 * @param model - The model.
 * @param x - The inputs.
 * @param where - The caller, for the message.
 * @param onWarning - Where the warning goes (default `console.warn`).
 * @param record - Whether a first training run records its range (fit: true; predict, evaluate: false).
 */
export function warnIfOutOfRange(model: Sequential, x: Tensor, where: string, onWarning?: (message: string) => void, record = true): void {
  const d = x.data;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (d.length === 0) return;
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
