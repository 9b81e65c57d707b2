/**
 * One training run per model at a time.
 *
 * @module
 */
import { StateError } from '../errors.js';

/** The models with a training run in progress (`fit` or `fitAsync`), added and removed by the drains. */
export const training = new WeakSet<object>();

/**
 * Throws if the model is being trained already: two runs would interleave their
 * updates by wall-clock timing, and the same program would give different weights.
 *
 * @param model - The model.
 * @param where - The caller, for the message.
 * @throws {@link StateError} when a `fit` or `fitAsync` of the model is running.
 */
export function checkNotTraining(model: object, where: string): void {
  if (training.has(model)) {
    throw new StateError(`${where}: this model is already being trained (a fitAsync has not finished); await it, or abort it with its signal, before training again`);
  }
}
