/**
 * The guard that stops training at the first NaN or ±Infinity, before it
 * reaches the weights, and names where it appeared.
 *
 * @module
 */
import { NonFiniteError } from '../errors.js';
import type { Parameter } from '../layers/layer.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor.js';
import { allFinite, parametersFinite } from './non-finite.js';
import type { Trainable } from './trainable.js';

/**
 * Checks each layer's output, the loss and each update of one training run.
 * Invariant: when it throws, the model holds finite weights: a bad output or loss
 * is caught before any update; a bad update is undone by restoring the weights
 * and the optimizer's state of the epoch's start.
 */
export class NonFiniteGuard {
  private readonly model: Trainable;
  private readonly optimizer: Optimizer;
  private readonly parameters: readonly Parameter[];
  private weights: Tensor[] = [];
  private optimizerState: OptimizerState | undefined;

  /**
   * @param model - The model being trained.
   * @param optimizer - Its optimizer.
   */
  constructor(model: Trainable, optimizer: Optimizer) {
    this.model = model;
    this.optimizer = optimizer;
    this.parameters = model.parameters();
  }

  /** Takes the state to go back to if an update of this epoch fails: the weights and the optimizer's state. */
  startEpoch(): void {
    this.weights = this.model.getWeights();
    this.optimizerState = this.optimizer.getState?.(this.parameters);
  }

  /**
   * Throws if a layer's output holds a non-finite value (activation-sized: cheap).
   *
   * @param output - The output of layer `l`.
   * @param l - The layer's index.
   * @param epoch - The epoch, from 1.
   * @param batch - The batch, from 0.
   * @throws {@link NonFiniteError} naming the layer.
   */
  checkOutput(output: Tensor, l: number, epoch: number, batch: number): void {
    if (!allFinite(output.data)) throw nonFinite(epoch, batch, `the output of layer ${l} (${(this.model.layers[l] as { name: string }).name})`);
  }

  /**
   * Throws if the batch's loss is not finite.
   *
   * @param loss - The loss.
   * @param epoch - The epoch, from 1.
   * @param batch - The batch, from 0.
   * @throws {@link NonFiniteError}.
   */
  checkLoss(loss: number, epoch: number, batch: number): void {
    if (!Number.isFinite(loss)) throw nonFinite(epoch, batch, `the loss (${loss})`);
  }

  /**
   * Checks an update: what the optimizer reported (built-in ones say whether what
   * they stored is finite), or a scan of the parameters. On a non-finite value,
   * restores the epoch's start and throws.
   *
   * @param stepped - What `optimizer.step` returned.
   * @param epoch - The epoch, from 1.
   * @param batch - The batch, from 0.
   * @throws {@link NonFiniteError} after restoring the model and the optimizer.
   */
  checkStep(stepped: boolean | void, epoch: number, batch: number): void {
    if (stepped === true || (stepped !== false && parametersFinite(this.parameters))) return;
    this.model.setWeights(this.weights);
    if (this.optimizerState !== undefined) this.optimizer.setState?.(this.parameters, this.optimizerState);
    throw new NonFiniteError(
      `Sequential.fit: the update at epoch ${epoch}, batch ${batch} made a parameter non-finite (a gradient or the step overflowed, ` +
        `though every layer's output was finite); the model and optimizer are restored to their state at the start of epoch ${epoch}. Try a smaller learning rate.`,
      epoch,
      batch,
      'the optimizer step',
    );
  }
}

function nonFinite(epoch: number, batch: number, where: string): NonFiniteError {
  return new NonFiniteError(
    `Sequential.fit: a non-finite value at epoch ${epoch}, batch ${batch}, first in ${where}; the model keeps its weights from before this batch. ` +
      'Try a smaller learning rate, or pass allowNonFinite: true to continue anyway.',
    epoch,
    batch,
    where,
  );
}
