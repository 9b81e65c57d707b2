/**
 * The closed set of names that `fit` and `evaluate` accept in place of a loss or
 * optimizer instance. A `switch`, not a registry.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';
import { CategoricalCrossEntropyLoss } from '../losses/categorical-cross-entropy.js';
import { CrossEntropyLoss } from '../losses/cross-entropy.js';
import type { Loss } from '../losses/loss.js';
import { QuadraticLoss } from '../losses/quadratic.js';
import { Adam } from '../optimizers/adam.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { SGD } from '../optimizers/sgd.js';

/** Names accepted for a loss: {@link QuadraticLoss}, {@link CrossEntropyLoss}, {@link CategoricalCrossEntropyLoss}. */
export type LossName = 'quadratic' | 'cross-entropy' | 'categorical-cross-entropy';

/** Names accepted for an optimizer: `'sgd'` (learning rate 0.01) and `'adam'` (Adam's defaults). */
export type OptimizerName = 'sgd' | 'adam';

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
  throw new OptionError(`${where}: unknown optimizer ${describe(optimizer)}; expected 'sgd', 'adam' or an Optimizer object`);
}
