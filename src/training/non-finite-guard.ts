/**
 * The guard that stops training at the first NaN or ±Infinity, before it
 * reaches the weights, and names where it appeared.
 *
 * @module
 */
import { NonFiniteError } from '../errors.js';
import type { Parameter } from '../layers/layer.js';
import type { Optimizer, OptimizerSnapshot } from '../optimizers/optimizer.js';
import { allocate, type Tensor, type TensorData } from '../tensor.js';
import { allFinite, parametersFinite } from './non-finite.js';
import type { Trainable } from './trainable.js';

/**
 * Checks each layer's output, the loss and each update of one training run.
 * Invariant: when it throws, the model is as it was at the start of the failing
 * epoch, on every path: its weights, its optimizer's state and its RNG, so
 * training can resume from that epoch (with a smaller learning rate, say) as if
 * the epoch had never run.
 *
 * The state is copied at each epoch's start into typed arrays reused from epoch
 * to epoch (a memory copy, no allocation), since an update cannot be undone
 * exactly in floating point.
 */
export class NonFiniteGuard {
  private readonly model: Trainable;
  private readonly parameters: readonly Parameter[];
  private readonly weights: TensorData[];
  private readonly optimizerState: OptimizerSnapshot | undefined;
  private rng: [number, number, number, number] | undefined;
  private readonly where: string;

  /**
   * @param model - The model being trained.
   * @param optimizer - Its optimizer.
   * @param where - The method training it, for messages (`Sequential.fit`, or `trainOnBatch`, whose "epoch" is the call).
   */
  constructor(model: Trainable, optimizer: Optimizer, where = 'Sequential.fit') {
    this.where = where;
    this.model = model;
    this.parameters = model.parameters();
    this.weights = this.parameters.map((p) => allocate(p.value.dtype, p.value.data.length));
    this.optimizerState = optimizer.snapshot?.(this.parameters) ?? stateSnapshot(optimizer, this.parameters);
  }

  /** Takes the state to go back to if this epoch fails: the weights, the optimizer's state and the RNG (before the shuffle). */
  startEpoch(): void {
    this.parameters.forEach((p, i) => (this.weights[i] as TensorData).set(p.value.data));
    this.optimizerState?.take();
    this.rng = this.model.rng.getState();
  }

  /** Puts back the state {@link NonFiniteGuard.startEpoch} took. */
  private restore(): void {
    this.parameters.forEach((p, i) => p.value.data.set(this.weights[i] as TensorData));
    this.optimizerState?.restore();
    if (this.rng !== undefined) this.model.rng.setState(this.rng);
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
    if (allFinite(output.data)) return;
    this.restore();
    throw nonFinite(this.where, epoch, batch, `the output of layer ${l} (${(this.model.layers[l] as { name: string }).name})`);
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
    if (Number.isFinite(loss)) return;
    this.restore();
    throw nonFinite(this.where, epoch, batch, `the loss (${loss})`);
  }

  /**
   * Checks an update: what the optimizer reported (built-in ones say whether what
   * they stored is finite), or a scan of the parameters.
   *
   * @param stepped - What `optimizer.step` returned.
   * @param epoch - The epoch, from 1.
   * @param batch - The batch, from 0.
   * @throws {@link NonFiniteError} (the model restored: see the class).
   */
  checkStep(stepped: boolean | void, epoch: number, batch: number): void {
    if (stepped === true || (stepped !== false && parametersFinite(this.parameters))) return;
    this.restore();
    throw nonFinite(this.where, epoch, batch, 'the optimizer step', ' (a gradient or the update overflowed, though every layer\'s output was finite)');
  }
}

function nonFinite(caller: string, epoch: number, batch: number, where: string, how = ''): NonFiniteError {
  const message =
    caller === 'Sequential.fit'
      ? `Sequential.fit: a non-finite value at epoch ${epoch}, batch ${batch}, first in ${where}${how}; the model, its optimizer and its RNG are ` +
        `restored to their state at the start of epoch ${epoch}, so fit(…, { initialEpoch: ${epoch - 1} }) resumes from there. ` +
        'Try a smaller learning rate, or pass allowNonFinite: true to continue anyway.'
      : `${caller}: a non-finite value, first in ${where}${how}; the model and its optimizer are as they were before this call. Try a smaller learning rate.`;
  return new NonFiniteError(message, epoch, batch, where);
}

/** A snapshot through `getState`/`setState`, for an optimizer without `snapshot` (none when it has neither). */
function stateSnapshot(optimizer: Optimizer, parameters: readonly Parameter[]): OptimizerSnapshot | undefined {
  const { getState, setState } = optimizer;
  if (getState === undefined || setState === undefined) return undefined;
  let saved: ReturnType<typeof getState> | undefined;
  return {
    take: () => (saved = getState.call(optimizer, parameters)),
    restore: () => {
      if (saved !== undefined) setState.call(optimizer, parameters, saved);
    },
  };
}
