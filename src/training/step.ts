/**
 * One update on one batch, without the epoch machinery: what
 * `Sequential.trainOnBatch` runs (Keras' `train_on_batch`), for callers that
 * train a sample at a time, such as a game or a reinforcement-learning loop.
 *
 * @module
 */
import type { Layer, Parameter } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import { resolveLoss, type LossName } from '../losses/names.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { resolveOptimizer, type OptimizerName } from '../optimizers/names.js';
import type { TensorLike } from '../tensor.js';
import { descend } from './fit.js';
import { NonFiniteGuard } from './non-finite-guard.js';
import { namedOptimizer } from './options.js';
import { checkNotTraining } from './running.js';
import type { Trainable } from './trainable.js';
import { checkData, checkLayers, checkOnWarning, warnIfOutOfRange } from './validate.js';

/** Options of `Sequential.trainOnBatch`. */
export interface TrainOnBatchOptions {
  /** The cost function, an instance or a {@link LossName}. */
  readonly loss: Loss | LossName;
  /** The update rule: an instance, or a name for the model's own (kept between calls, as in `fit`). */
  readonly optimizer: Optimizer | OptimizerName;
  /** Receives warnings, each cause once per model (default `console.warn`). */
  readonly onWarning?: (message: string) => void;
}

/** What a model keeps between `trainOnBatch` calls, so that a call allocates nothing after the first. */
interface StepState {
  readonly parameters: readonly Parameter[];
  readonly losses: Map<Loss | LossName, Loss>;
  readonly guards: Map<Optimizer, NonFiniteGuard>;
  readonly context: { trainingSetSize: number };
}

const states = new WeakMap<Trainable, StepState>();

/**
 * One step of gradient descent on one batch: checks, forward (in training mode),
 * the loss, backpropagation, the optimizer's update. On NaN or Infinity the model
 * and optimizer are put back as they were before the call and a
 * {@link NonFiniteError} is thrown.
 *
 * @param model - The model.
 * @param x - Inputs, `[n, inputWidth]`.
 * @param y - Targets, `[n, outputWidth]`.
 * @param options - Loss and optimizer.
 * @returns The batch's mean loss, before the update.
 */
export function trainOnBatch(model: Trainable, x: TensorLike, y: TensorLike, options: TrainOnBatchOptions): number {
  const where = 'Sequential.trainOnBatch';
  checkNotTraining(model, where);
  let state = states.get(model);
  if (state === undefined) states.set(model, (state = { parameters: model.parameters(), losses: new Map(), guards: new Map(), context: { trainingSetSize: 0 } }));
  let loss = state.losses.get(options.loss);
  if (loss === undefined) state.losses.set(options.loss, (loss = resolveLoss(options.loss, where)));
  const optimizer = typeof options.optimizer === 'string' ? namedOptimizer(model, options.optimizer, where) : resolveOptimizer(options.optimizer, where);
  checkLayers(model, where);
  const [input, target, range] = checkData(model, x, y, where, 'x', 'y');
  loss.validateTarget?.(target, `${where} y`);
  warnIfOutOfRange(model, range, where, checkOnWarning(options, where));
  let guard = state.guards.get(optimizer);
  if (guard === undefined) state.guards.set(optimizer, (guard = new NonFiniteGuard(model, optimizer, where)));
  // the state to go back to: the copy reuses its arrays from call to call
  guard.startEpoch();
  const { parameters, context } = state;
  context.trainingSetSize = input.shape[0];
  return descend(model.layers, parameters, (model.layers[0] as Layer).forward(input, true), target, loss, optimizer, context, guard, 1, 0);
}
