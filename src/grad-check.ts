/**
 * `gradCheck`: compare backpropagation with finite differences.
 *
 * @module
 */
import type { Loss } from './losses/loss.js';
import { resolveLoss, type LossName } from './losses/names.js';
import type { Sequential } from './model/sequential.js';
import type { TensorLike } from './tensor.js';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** The step h of the central difference (default 1e−6 for float64, 1e−3 for float32). */
  readonly epsilon?: number;
  /** Gradients smaller than this are compared absolutely against it (default 1e−4), see {@link gradCheck}. */
  readonly floor?: number;
}

/**
 * The largest relative error between the backpropagated gradient of every
 * parameter and its central finite difference (C(w + h) − C(w − h)) / 2h. Use it
 * to check a custom layer or loss; use a `'float64'` model, since float32 has too
 * few digits for finite differences.
 *
 * The error of one element is |analytic − numeric| / max(|analytic|, |numeric|, floor):
 * relative for ordinary gradients, absolute (scaled by `floor`) for those near 0,
 * whose finite differences are dominated by rounding. In float64, a correct
 * gradient gives about 1e−8 or less.
 *
 * The parameters are restored exactly afterwards.
 *
 * @param model - The model.
 * @param x - Inputs `[n, inputWidth]`.
 * @param y - Targets `[n, outputWidth]`.
 * @param loss - The loss, an instance or a name.
 * @param options - See {@link GradCheckOptions}.
 * @returns The largest relative error over all parameters.
 * @throws The errors of {@link Sequential.gradients} for bad input.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid, gradCheck } from 'tinydense';
 * const model = new Sequential([new Dense(2, 3), new Sigmoid(), new Dense(3, 1), new Sigmoid()], { dtype: 'float64' });
 * gradCheck(model, [[0, 1], [1, 0]], [[1], [1]], 'quadratic') < 1e-6; // true
 * ```
 */
export function gradCheck(model: Sequential, x: TensorLike, y: TensorLike, loss: Loss | LossName, options: GradCheckOptions = {}): number {
  const lossFn = resolveLoss(loss, 'gradCheck');
  const analytic = model.gradients(x, y, lossFn);
  const h = options.epsilon ?? (model.dtype === 'float64' ? 1e-6 : 1e-3);
  const floor = options.floor ?? 1e-4;
  let worst = 0;
  model.parameters().forEach((p, index) => {
    const w = p.value.data;
    const grad = (analytic[index] as (typeof analytic)[number]).data;
    for (let i = 0; i < w.length; i++) {
      const original = w[i] as number;
      // Divide by the steps actually stored: in float32, original ± h is rounded.
      w[i] = original + h;
      const up = w[i] as number;
      const plus = model.evaluate(x, y, lossFn).loss;
      w[i] = original - h;
      const down = w[i] as number;
      const minus = model.evaluate(x, y, lossFn).loss;
      w[i] = original;
      const numeric = (plus - minus) / (up - down);
      const a = grad[i] as number;
      const error = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
      if (error > worst || Number.isNaN(error)) worst = error;
    }
  });
  return worst;
}
