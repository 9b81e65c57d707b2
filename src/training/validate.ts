/**
 * Checks on user data at the model's boundary, run before anything is changed.
 *
 * @module
 */
import { isThreadPool, type ThreadPool } from '../backend/ops.js';
import { DataError, OptionError, ShapeError, describe, formatShape } from '../errors.js';
import { Normalization } from '../layers/normalization.js';
import { toTensor, type Tensor, type TensorData, type TensorLike } from '../tensor.js';
import { firstNonFinite } from './non-finite.js';
import type { Trainable } from './trainable.js';

/**
 * Throws if any element is NaN or ±Infinity, naming the first one's row and column.
 *
 * @param t - The tensor to scan.
 * @param where - The caller, for the message.
 * @param what - What the tensor is (`x`, `y`, …).
 * @param range - Its smallest and largest element, if already known (as the
 *   backend's `scannedRange` gives them); found here otherwise.
 * @returns The smallest and largest element (`[Infinity, -Infinity]` when empty).
 * @throws {@link DataError} at the first non-finite element.
 */
export function checkFinite(t: Tensor, where: string, what: string, range: readonly [number, number] = valueRange(t.data)): readonly [number, number] {
  if ((Number.isFinite(range[0]) && Number.isFinite(range[1])) || t.data.length === 0) return range;
  const i = firstNonFinite(t.data);
  const cols = t.shape[1];
  throw new DataError(`${where}: ${what} has ${String(t.data[i])} at row ${Math.floor(i / cols)}, column ${i % cols}`);
}

/**
 * The smallest and largest value, in one pass: both NaN if any value is NaN, so
 * both are finite exactly when every value is (±Infinity lands at an end). −0
 * and +0 count as equal: either may come out. Two interleaved lanes of plain
 * comparisons, which V8 turns into branch-free selects.
 *
 * @param data - The values.
 * @returns `[min, max]`; `[Infinity, -Infinity]` when empty.
 */
export function valueRange(data: TensorData): readonly [number, number] {
  let lo0 = Infinity;
  let lo1 = Infinity;
  let hi0 = -Infinity;
  let hi1 = -Infinity;
  let nan = 0;
  const end = data.length - (data.length % 2);
  for (let i = 0; i < end; i += 2) {
    const a = data[i] as number;
    const b = data[i + 1] as number;
    lo0 = a < lo0 ? a : lo0;
    hi0 = a > hi0 ? a : hi0;
    lo1 = b < lo1 ? b : lo1;
    hi1 = b > hi1 ? b : hi1;
    nan |= +(a !== a) | +(b !== b);
  }
  if (end < data.length) {
    const a = data[end] as number;
    lo0 = a < lo0 ? a : lo0;
    hi0 = a > hi0 ? a : hi0;
    nan |= +(a !== a);
  }
  return nan === 0 ? [Math.min(lo0, lo1), Math.max(hi0, hi1)] : [Number.NaN, Number.NaN];
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
 * Widens the range of inputs the model has been trained on with every training
 * call (saved with the model), and warns when inputs lie far outside it (say
 * 0–255 pixels for a model trained on 0–1): beyond it by more than ten times its
 * scale, the larger of its span, its magnitude and 1 (so that a range seen in a
 * single row is no hair trigger). At most one such warning per model.
 *
 * @param model - The model.
 * @param range - The inputs' smallest and largest value, as {@link checkFinite} returns them.
 * @param where - The caller, for the message.
 * @param onWarning - Where the warning goes (default `console.warn`).
 * @param record - Whether the range joins the known one (training: true; predict, evaluate: false).
 */
export function warnIfOutOfRange(
  model: Pick<Trainable, 'inputRange'>,
  range: readonly [number, number],
  where: string,
  onWarning?: (message: string) => void,
  record = true,
): void {
  const [lo, hi] = range;
  if (lo > hi) return; // no values
  const known = model.inputRange;
  if (known === undefined) {
    if (record) model.inputRange = [lo, hi];
    return;
  }
  const scale = Math.max(known[1] - known[0], Math.abs(known[0]), Math.abs(known[1]), 1);
  if (hi > known[1] + 10 * scale || lo < known[0] - 10 * scale) {
    warnOnce(
      model,
      'input range',
      `${where}: x has values in [${lo}, ${hi}], far outside [${known[0]}, ${known[1]}] seen in training; were the inputs scaled the same way (e.g. pixels / 255)? (warned once per model)`,
      onWarning,
    );
  }
  if (record && (lo < known[0] || hi > known[1])) model.inputRange = [Math.min(lo, known[0]), Math.max(hi, known[1])];
}

/** The warnings each model has given, by cause: each is given once. */
const warned = new WeakMap<object, Set<string>>();

/**
 * Gives a warning unless the model has given one for the same cause before.
 *
 * @param model - The model.
 * @param cause - A short name of the cause.
 * @param message - The warning.
 * @param onWarning - Where it goes (default `console.warn`).
 */
export function warnOnce(model: object, cause: string, message: string, onWarning: ((message: string) => void) | undefined): void {
  let causes = warned.get(model);
  if (causes === undefined) warned.set(model, (causes = new Set()));
  if (causes.has(cause)) return;
  causes.add(cause);
  (onWarning ?? console.warn)(message);
}

/**
 * The `onWarning` option, checked.
 *
 * @param options - The options object that may hold it.
 * @param where - The caller, for the message.
 * @returns The function, or `undefined`.
 * @throws {@link OptionError} if it is given and is not a function.
 */
export function checkOnWarning(options: { readonly onWarning?: unknown }, where: string): ((message: string) => void) | undefined {
  const f = options.onWarning;
  if (f === undefined || typeof f === 'function') return f as ((message: string) => void) | undefined;
  throw new OptionError(`${where}: onWarning must be a function (message) => void, got ${describe(f)}`);
}

/**
 * Checks that the model's layers are ready and still fit together: every
 * `Normalization` adapted, and the widths chained from input to output as they
 * were when the model was built (an adapt after building could change one).
 *
 * @param model - The model.
 * @param where - The caller, for the message.
 * @throws {@link OptionError} naming a layer that was never adapted; {@link ShapeError} for a width that changed.
 */
export function checkLayers(model: Pick<Trainable, 'layers' | 'inputWidth' | 'outputWidth'>, where: string): void {
  let width = model.inputWidth;
  // a plain loop: predict and trainOnBatch run this on every call
  const { layers } = model;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as (typeof layers)[number];
    if (layer instanceof Normalization && !layer.adapted) {
      throw new OptionError(`${where}: layer ${i} (${layer.name}) was never adapted; call adapt(data) with the training ${layer.invert ? 'targets' : 'inputs'} first`);
    }
    width = layer.outputWidth(width);
  }
  if (width !== model.outputWidth) throw new ShapeError(`${where}: the layers now give ${width} outputs, but the model was built with ${model.outputWidth}`);
}

/**
 * Converts an (x, y) pair to tensors of a model's dtype and checks their widths and
 * row counts (not their values).
 *
 * @param model - The model.
 * @param xLike - Inputs.
 * @param yLike - Targets.
 * @param where - The caller.
 * @param xName - How to call x in messages.
 * @param yName - How to call y in messages.
 * @returns x and y as tensors.
 */
export function checkShapes(model: Trainable, xLike: TensorLike, yLike: TensorLike, where: string, xName: string, yName: string): [Tensor, Tensor] {
  const x = toTensor(xLike, model.dtype, `${where} ${xName}`);
  const y = toTensor(yLike, model.dtype, `${where} ${yName}`);
  checkWidth(x, model.inputWidth, where, xName);
  const classes = model.outputWidth;
  if (y.shape[1] === 1 && classes > 1 && y.data.every((v) => Number.isInteger(v) && v >= 0 && v < classes)) {
    throw new ShapeError(
      `${where}: expected ${yName} of shape [batch, ${classes}], got ${formatShape(y.shape)}: it looks like class numbers (0–${classes - 1}); ` +
        `give one-hot rows instead, oneHot(labels, ${classes})`,
    );
  }
  checkWidth(y, model.outputWidth, where, yName);
  checkRows(x, y, where);
  return [x, y];
}

/**
 * Converts and checks an (x, y) pair for a model: widths, row counts, finiteness.
 *
 * @param model - The model.
 * @param xLike - Inputs.
 * @param yLike - Targets.
 * @param where - The caller.
 * @param xName - How to call x in messages.
 * @param yName - How to call y in messages.
 * @returns x and y as tensors of the model's dtype, and x's smallest and largest value.
 */
export function checkData(
  model: Trainable,
  xLike: TensorLike,
  yLike: TensorLike,
  where: string,
  xName: string,
  yName: string,
): [Tensor, Tensor, readonly [number, number]] {
  const [x, y] = checkShapes(model, xLike, yLike, where, xName, yName);
  const xRange = checkFinite(x, where, xName);
  checkFinite(y, where, yName);
  return [x, y, xRange];
}

/**
 * The `threads` option, checked.
 *
 * @param options - The options object that may hold it.
 * @param where - The calling method, for the error message.
 * @returns The pool, or `undefined` if none was given.
 * @throws {@link OptionError} if the options are not an object, or `threads` is given and is not a {@link ThreadPool}.
 */
export function checkThreads(options: unknown, where: string): ThreadPool | undefined {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  const threads = (options as { threads?: unknown }).threads;
  if (threads === undefined || isThreadPool(threads)) return threads;
  throw new OptionError(`${where}: threads must be a ThreadPool (from startThreads or startWebThreads), got ${describe(threads)}`);
}
