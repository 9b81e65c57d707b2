/**
 * Learning-rate schedules: functions from the epoch number to the learning rate,
 * set on the optimizer before each epoch by `fit` and recorded in the history.
 *
 * @module
 */
import { OptionError, describe } from '../errors.js';

/** A learning-rate schedule: the rate η to use in an epoch (numbered from 1). */
export type LearningRateSchedule = (epoch: number) => number;

/**
 * Step decay: η = initial · factor^⌊(epoch − 1) / every⌋, so the rate is multiplied
 * by `factor` every `every` epochs.
 *
 * @param options - `initial` η, `factor` in (0, 1], `every` ≥ 1 epochs.
 * @returns The schedule.
 * @throws {@link OptionError} for an option out of range.
 * @example
 * ```ts
 * import { stepDecay } from 'tinydense';
 * const schedule = stepDecay({ initial: 0.5, factor: 0.5, every: 10 });
 * schedule(1);  // 0.5
 * schedule(11); // 0.25
 * ```
 */
export function stepDecay(options: { readonly initial: number; readonly factor: number; readonly every: number }): LearningRateSchedule {
  const { initial, factor, every } = options;
  check('stepDecay', 'initial', initial, Number.isFinite(initial) && initial >= 0);
  check('stepDecay', 'factor', factor, Number.isFinite(factor) && factor > 0 && factor <= 1);
  check('stepDecay', 'every', every, Number.isInteger(every) && every >= 1);
  return (epoch) => initial * factor ** Math.floor((epoch - 1) / every);
}

/**
 * Exponential decay: η = initial · rate^(epoch − 1).
 *
 * @param options - `initial` η and the per-epoch `rate` in (0, 1].
 * @returns The schedule.
 * @throws {@link OptionError} for an option out of range.
 * @example
 * ```ts
 * import { exponentialDecay } from 'tinydense';
 * const schedule = exponentialDecay({ initial: 1, rate: 0.9 });
 * schedule(3); // 0.81
 * ```
 */
export function exponentialDecay(options: { readonly initial: number; readonly rate: number }): LearningRateSchedule {
  const { initial, rate } = options;
  check('exponentialDecay', 'initial', initial, Number.isFinite(initial) && initial >= 0);
  check('exponentialDecay', 'rate', rate, Number.isFinite(rate) && rate > 0 && rate <= 1);
  return (epoch) => initial * rate ** (epoch - 1);
}

function check(where: string, name: string, value: number, ok: boolean): void {
  if (!ok) throw new OptionError(`${where}: ${name} is out of range, got ${describe(value)}`);
}
