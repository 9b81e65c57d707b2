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
  const name: unknown = loss;
  const known = typeof name === 'string' ? OTHER_NAMES[name.toLowerCase().replace(/[\s_-]/g, '')] : undefined;
  throw new OptionError(
    `${where}: unknown loss ${describe(loss)}; ` +
      (known === undefined ? "expected 'quadratic', 'cross-entropy', 'categorical-cross-entropy' or a Loss object" : known),
  );
}

/** What other libraries call the losses (Keras, TF.js, PyTorch), keyed lower-case without separators, with tinydense's name and how it differs. */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  mse: "tinydense calls it 'quadratic': C = ½‖y − a‖² per sample, averaged over the batch (the book's cost; Keras' mse also averages over the outputs and has no ½)",
  meansquarederror: "tinydense calls it 'quadratic': C = ½‖y − a‖² per sample, averaged over the batch (the book's cost; Keras' mse also averages over the outputs and has no ½)",
  mseloss: "tinydense calls it 'quadratic': C = ½‖y − a‖² per sample, averaged over the batch",
  binarycrossentropy: "tinydense calls it 'cross-entropy' (summed over the outputs, averaged over the batch; for one sigmoid output it equals Keras' binary_crossentropy)",
  bceloss: "tinydense calls it 'cross-entropy' (use it after a Sigmoid output)",
  crossentropy: "tinydense has 'cross-entropy' (sigmoid outputs) and 'categorical-cross-entropy' (softmax outputs)",
  categoricalcrossentropy: "tinydense calls it 'categorical-cross-entropy' (with a Softmax output and one-hot targets)",
  crossentropyloss: "tinydense calls it 'categorical-cross-entropy' (with a Softmax output and one-hot targets: oneHot(labels, classes))",
  sparsecategoricalcrossentropy: "tinydense takes one-hot targets: use 'categorical-cross-entropy' with y = oneHot(labels, classes)",
};

