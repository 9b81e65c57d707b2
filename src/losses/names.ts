/**
 * Loss names: the strings `fit`, `evaluate` and `gradients` accept for a loss.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import { CategoricalCrossEntropyLoss } from './categorical-cross-entropy.js';
import { CrossEntropyLoss } from './cross-entropy.js';
import type { Loss } from './loss.js';
import { QuadraticLoss } from './quadratic.js';

/** Names accepted for a loss: {@link QuadraticLoss}, {@link CrossEntropyLoss}, {@link CategoricalCrossEntropyLoss}. */
export type LossName = 'quadratic' | 'cross-entropy' | 'categorical-cross-entropy';

/**
 * A loss instance, or a new one for its name.
 *
 * @param loss - An object implementing {@link Loss}, or a {@link LossName}.
 * @param where - The caller, for the message.
 * @returns The loss.
 * @throws {@link OptionError} for an unknown name or an object that is not a loss.
 */
export function resolveLoss(loss: Loss | LossName, where: string): Loss {
  switch (loss) {
    case 'quadratic':
      return new QuadraticLoss();
    case 'cross-entropy':
      return new CrossEntropyLoss();
    case 'categorical-cross-entropy':
      return new CategoricalCrossEntropyLoss();
  }
  if (typeof loss === 'object' && loss !== null && typeof loss.value === 'function' && typeof loss.gradient === 'function') return loss;
  throw new OptionError(
    `${where}: unknown loss ${describe(loss)}; expected 'quadratic', 'cross-entropy', 'categorical-cross-entropy' or a Loss object`,
  );
}

