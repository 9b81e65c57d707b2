/**
 * The `Optimizer` contract and option checks shared by the optimizers.
 *
 * @module
 */
import { OptionError } from '../errors.js';
import type { Parameter } from '../layers/layer.js';

/** What `Sequential.fit` tells an optimizer at each step. */
export interface StepContext {
  /** n, the size of the whole training set (for the book's L2 decay factor 1 − ηλ/n). */
  readonly trainingSetSize?: number;
}

/**
 * Updates parameters from their gradients. An optimizer sees parameters, never
 * layers; any state it keeps (momentum, Adam's moments) is keyed by the parameter.
 *
 * @example
 * ```ts
 * import { SGD, type Optimizer } from 'tinydense';
 * const optimizer: Optimizer = new SGD({ learningRate: 3.0 });
 * // optimizer.step(model.parameters()) after the gradients were computed
 * ```
 */
export interface Optimizer {
  /** The optimizer's name, e.g. `'sgd'`. */
  readonly name: string;
  /** η, the learning rate; may be changed between steps (e.g. by a schedule). */
  learningRate: number;
  /**
   * Updates each parameter's value in place from its `grad`.
   *
   * @param parameters - The parameters to update.
   * @param context - Facts about the training run, see {@link StepContext}.
   */
  step(parameters: readonly Parameter[], context?: StepContext): void;
}

/**
 * Checks one numeric option of an optimizer.
 *
 * @param where - The optimizer, for the message.
 * @param name - The option's name.
 * @param value - Its value.
 * @param min - The smallest allowed value.
 * @param max - The largest allowed value.
 * @param maxInclusive - Whether `max` itself is allowed.
 * @returns The value.
 * @throws {@link OptionError} if the value is not a finite number in range.
 */
export function checkOption(where: string, name: string, value: unknown, min: number, max = Infinity, maxInclusive = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (maxInclusive ? value > max : value >= max)) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}${maxInclusive ? ']' : ')'}`;
    throw new OptionError(`${where}: ${name} must be a finite number ${range}, got ${String(value)}`);
  }
  return value;
}
