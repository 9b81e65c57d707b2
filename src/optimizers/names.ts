/**
 * Optimizer names: the strings `fit` accepts for an optimizer.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

/** Names accepted for an optimizer: `'sgd'` (learning rate 0.01) and `'adam'` (Adam's defaults). */
export type OptimizerName = 'sgd' | 'adam';

/**
 * An optimizer instance, or a new one for its name.
 *
 * @param optimizer - An object implementing {@link Optimizer}, or an {@link OptimizerName}.
 * @param where - The caller, for the message.
 * @returns The optimizer.
 * @throws {@link OptionError} for an unknown name or an object that is not an optimizer.
 */
export function resolveOptimizer(optimizer: Optimizer | OptimizerName, where: string): Optimizer {
  switch (optimizer) {
    case 'sgd':
      return new SGD({ learningRate: 0.01 });
    case 'adam':
      return new Adam();
  }
  if (typeof optimizer === 'object' && optimizer !== null && typeof optimizer.step === 'function') return optimizer;
  const name: unknown = optimizer;
  const lower = typeof name === 'string' ? name.toLowerCase() : undefined;
  const hint = lower === 'sgd' || lower === 'adam' ? ` (names are lower-case: '${lower}')` : '';
  throw new OptionError(`${where}: unknown optimizer ${describe(optimizer)}${hint}; expected 'sgd', 'adam' or an Optimizer object (e.g. new SGD({ learningRate: 3 }))`);
}
