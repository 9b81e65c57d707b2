/**
 * `Adam`: adaptive moment estimation.
 *
 * @module
 */
import * as ops from '../backend/ops.js';
import { FormatError, OptionError, describe } from '../errors.js';
import type { Parameter } from '../layers/layer.js';
import { checkOption, finiteAfterSum, mapSnapshot, slotFromData, slotToData, type Optimizer, type OptimizerState, type OptimizerSnapshot } from './optimizer.js';

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** η, the step size (default 0.001). */
  readonly learningRate?: number;
  /** β₁, decay of the first-moment estimate, in [0, 1) (default 0.9). */
  readonly beta1?: number;
  /** β₂, decay of the second-moment estimate, in [0, 1) (default 0.999). */
  readonly beta2?: number;
  /** ε, added to the denominator for stability, > 0 (default 1e−8). */
  readonly epsilon?: number;
}

/**
 * Adam (Kingma & Ba, 2015). With g the mean gradient and t the step count:
 * **m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
 * w ← w − η m̂ / (√v̂ + ε)**, computed as w − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε),
 * PyTorch's arrangement: one division and one square root per value.
 *
 * @example
 * ```ts
 * import { Adam } from 'tinydense';
 * const optimizer = new Adam({ learningRate: 0.01 });
 * ```
 */
export class Adam implements Optimizer {
  /** `'adam'`. */
  readonly name = 'adam';
  /** η. */
  learningRate: number;
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  /** t, the number of steps taken. */
  stepCount = 0;
  private readonly moments = new Map<Parameter, { m: Float64Array; v: Float64Array }>();

  /**
   * @param options - See {@link AdamOptions}.
   * @throws {@link OptionError} if an option is out of range.
   */
  constructor(options: AdamOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new OptionError('Adam: options must be an object like { learningRate: 0.001 }');
    this.learningRate = checkOption('Adam', 'learningRate', options.learningRate ?? 0.001, 0);
    this.beta1 = checkOption('Adam', 'beta1', options.beta1 ?? 0.9, 0, 1, false);
    this.beta2 = checkOption('Adam', 'beta2', options.beta2 ?? 0.999, 0, 1, false);
    this.epsilon = checkOption('Adam', 'epsilon', options.epsilon ?? 1e-8, Number.MIN_VALUE);
  }

  /**
   * Applies one Adam update to each parameter.
   *
   * @param parameters - The parameters, with their mean gradients in `grad`.
   * @returns Whether every updated value is finite.
   * @throws {@link OptionError} if the learning rate was set to an invalid value.
   */
  step(parameters: readonly Parameter[]): boolean {
    const eta = checkOption('Adam', 'learningRate', this.learningRate, 0);
    const t = ++this.stepCount;
    const { beta1, beta2, epsilon } = this;
    // m̂ = m/(1 − β₁ᵗ) and √v̂ = √v/√(1 − β₂ᵗ), as two factors per step
    const settings = { beta1, beta2, epsilon, stepSize: eta / (1 - beta1 ** t), rootCorrection: 1 / Math.sqrt(1 - beta2 ** t) };
    let finite = true;
    for (const p of parameters) {
      const w = p.value.data;
      let state = this.moments.get(p);
      // beside the parameter where the backend can, so that its kernel takes the step
      if (state === undefined) this.moments.set(p, (state = { m: ops.optimizerSlot(p.value), v: ops.optimizerSlot(p.value) }));
      // m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η m̂ / (√v̂ + ε)
      const sum = ops.adamStep(w, p.grad.data, state.m, state.v, settings);
      if (!finiteAfterSum(sum, w)) finite = false;
    }
    return finite;
  }

  /**
   * `{ kind: 'adam', config, stepCount, slots: { m, v } }`.
   *
   * @param parameters - The parameters, in order.
   * @returns The state as plain data.
   */
  getState(parameters: readonly Parameter[]): OptimizerState {
    return {
      kind: 'adam',
      config: { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon },
      stepCount: this.stepCount,
      slots: { m: slotToData(parameters, (p) => this.moments.get(p)?.m), v: slotToData(parameters, (p) => this.moments.get(p)?.v) },
    };
  }

  /**
   * A copy of the moments and the step count to go back to (see {@link Optimizer.snapshot}).
   *
   * @param parameters - The parameters.
   * @returns The snapshot.
   */
  snapshot(parameters: readonly Parameter[]): OptimizerSnapshot {
    return mapSnapshot(parameters, this.moments, ({ m, v }) => [m, v], ([m, v]) => ({ m: m as Float64Array, v: v as Float64Array }), {
      get: () => this.stepCount,
      set: (t) => (this.stepCount = t),
    });
  }

  /**
   * Restores the learning rate, the step count and both moment estimates.
   *
   * @param parameters - The parameters, in the order of {@link Adam.getState}.
   * @param state - The saved state.
   * @throws {@link FormatError} if the state does not match the parameters.
   */
  setState(parameters: readonly Parameter[], state: OptimizerState): void {
    // Everything is checked before anything is replaced.
    const learningRate = checkOption('Adam', 'learningRate', state.config.learningRate, 0);
    if (!Number.isSafeInteger(state.stepCount) || state.stepCount < 0) throw new FormatError(`Adam.setState: stepCount must be an integer ≥ 0, got ${describe(state.stepCount)}`);
    const m = new Map<Parameter, Float64Array>();
    const v = new Map<Parameter, Float64Array>();
    slotFromData('Adam', 'm', parameters, state.slots.m, (p, values) => m.set(p, values));
    // the second moment is a mean of squares: never negative (a negative one would make √v NaN)
    slotFromData('Adam', 'v', parameters, state.slots.v, (p, values) => v.set(p, values), 0);
    parameters.forEach((p, i) => {
      if (m.has(p) !== v.has(p)) throw new FormatError(`Adam.setState: slots.m[${i}] and slots.v[${i}] must both be saved or both be empty`);
    });
    if (m.size > 0 && state.stepCount === 0) throw new FormatError('Adam.setState: moments are saved but stepCount is 0');
    this.learningRate = learningRate;
    const before = new Map(this.moments);
    this.moments.clear();
    for (const p of parameters) {
      const mp = m.get(p);
      const vp = v.get(p);
      if (mp === undefined || vp === undefined) continue;
      // into the arrays the parameter already has (they may sit where the kernel reaches them)
      const slots = before.get(p) ?? { m: ops.optimizerSlot(p.value), v: ops.optimizerSlot(p.value) };
      slots.m.set(mp);
      slots.v.set(vp);
      this.moments.set(p, slots);
    }
    this.stepCount = state.stepCount;
  }
}
