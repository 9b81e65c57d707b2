/**
 * The typed errors tinydense throws. Every message names the component, what it
 * expected and what it received, so a failure can be fixed from the message alone.
 *
 * @module
 */

/**
 * Base class of every error tinydense throws on purpose. Catch this to tell the
 * library's own, explained failures apart from bugs (a `TypeError` from inside).
 *
 * @example
 * ```ts
 * import { Tensor, TinyDenseError } from 'tinydense';
 * try {
 *   new Tensor(new Float32Array(3), [2, 2]);
 * } catch (e) {
 *   if (e instanceof TinyDenseError) console.log(e.message);
 * }
 * ```
 */
export class TinyDenseError extends Error {
  /**
   * @param message - What was wrong, naming the component and the values involved.
   */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A tensor had the wrong shape for an operation or layer, e.g.
 * `Dense(784→30).forward: expected [batch, 784], got [10, 785]`.
 *
 * @example
 * ```ts
 * import { Dense, Rng, ShapeError, Tensor } from 'tinydense';
 * const dense = new Dense(3, 2);
 * dense.initialize(new Rng(0), 'float64');
 * try { dense.forward(Tensor.zeros([1, 4])); } catch (e) { console.log(e instanceof ShapeError); } // true
 * ```
 */
export class ShapeError extends TinyDenseError {}

/**
 * Data that cannot be used: NaN or Infinity in inputs or targets, a label out of
 * range, a value far outside what is expected. The message names the row and column.
 *
 * @example
 * ```ts
 * import { DataError, oneHot } from 'tinydense';
 * try { oneHot([0, 12], 10); } catch (e) { console.log(e instanceof DataError); } // true
 * ```
 */
export class DataError extends TinyDenseError {}

/**
 * An option had a value that cannot work: a batch size of 0, a negative learning
 * rate, an unknown loss or optimizer name, an unknown initialisation.
 *
 * @example
 * ```ts
 * import { OptionError, SGD } from 'tinydense';
 * try { new SGD({ learningRate: -1 }); } catch (e) { console.log(e instanceof OptionError); } // true
 * ```
 */
export class OptionError extends TinyDenseError {}

/**
 * Serialized data (a model's JSON, a file) is malformed, of an unknown or newer
 * version, or does not match the model it is loaded into. The message gives the
 * path of the offending field, e.g. `layers[0].weights.biases`.
 *
 * @example
 * ```ts
 * import { FormatError, Sequential } from 'tinydense';
 * try { Sequential.fromJSON('{"format":"nope"}'); } catch (e) { console.log(e instanceof FormatError); } // true
 * ```
 */
export class FormatError extends TinyDenseError {}

/**
 * A call that the object's current state does not allow: a second training run
 * of a model while one is running (a `fit` during a `fitAsync`, or two
 * `fitAsync` at once), whose updates would interleave by timing.
 *
 * @example
 * ```ts
 * import { StateError } from 'tinydense';
 * // model.fitAsync(x, y, options); model.fit(x, y, options); // throws StateError
 * console.log(new StateError('busy') instanceof Error); // true
 * ```
 */
export class StateError extends TinyDenseError {}

/**
 * Training produced NaN or ±Infinity (in the loss, a gradient or a parameter).
 * Training stops, and the model is left at its last finite state; the message and
 * the fields say where it happened.
 *
 * @example
 * ```ts
 * import { NonFiniteError } from 'tinydense';
 * try {
 *   // model.fit(x, y, { …, optimizer: new SGD({ learningRate: 1e30 }) });
 * } catch (e) {
 *   if (e instanceof NonFiniteError) console.log(e.epoch, e.batch, e.layer);
 * }
 * ```
 */
export class NonFiniteError extends TinyDenseError {
  /** The epoch (from 1) in which the value appeared. */
  readonly epoch: number;
  /** The mini-batch (from 0) in which it appeared. */
  readonly batch: number;
  /** The first layer where it appeared, e.g. `layer 2 (Dense(30→10))`, or `the loss`. */
  readonly layer: string;

  /**
   * @param message - The full explanation.
   * @param epoch - The epoch, from 1.
   * @param batch - The mini-batch, from 0.
   * @param layer - The first layer where the value appeared.
   */
  constructor(message: string, epoch: number, batch: number, layer: string) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
    this.layer = layer;
  }
}

/**
 * Formats a shape the way every error message shows it: `[10, 785]`.
 *
 * @param shape - The shape to format.
 * @returns The shape in square brackets.
 * @example
 * ```ts
 * import { formatShape } from 'tinydense';
 * formatShape([10, 785]); // '[10, 785]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A short description of any value for error messages: `null`, `an array of length 3`,
 * `Uint8Array`, `"abc"`. Internal: not re-exported from the package.
 *
 * @param v - The value.
 * @returns A short description.
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') {
    // A parsed JSON object may carry its own "constructor" key: trust only a string name.
    const name: unknown = (v as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' ? name : 'an object';
  }
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
