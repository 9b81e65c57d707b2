/**
 * `SGD`: (mini-batch) stochastic gradient descent, the book's update rule.
 *
 * @module
 */
import * as ops from '../backend/ops.js';
import { OptionError } from '../errors.js';
import type { Parameter } from '../layers/layer.js';
import { checkOption, finiteAfterSum, mapSnapshot, slotFromData, slotToData, type Optimizer, type OptimizerState, type StepContext, type OptimizerSnapshot } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** η, the learning rate, a finite number ≥ 0. */
  readonly learningRate: number;
  /** μ, the momentum coefficient in [0, 1) (default 0: plain SGD). */
  readonly momentum?: number;
  /** λ, the L2 regularisation parameter ≥ 0 (default 0). */
  readonly l2?: number;
}

/**
 * Stochastic gradient descent. With ∇C the mean gradient over the mini-batch of m
 * (see {@link Loss}):
 *
 * - plain: **w ← w − η ∇C**, exactly the book's w − (η/m) Σₓ ∇Cₓ (eq. 20);
 * - with `l2` = λ: **w ← (1 − ηλ/n) w − η ∇C** for weights, n the training-set
 *   size (eq. 93, the book's weight decay); biases are not decayed;
 * - with `momentum` = μ: **v ← μ v − η ∇C, w ← (1 − ηλ/n) w + v** (the book's
 *   chapter 3 momentum, v starting at 0).
 *
 * Without momentum, float32 parameters are updated in float32 arithmetic (η, the
 * products and the difference each rounded to float32).
 *
 * @example
 * ```ts
 * import { SGD } from 'tinydense';
 * const nielsen = new SGD({ learningRate: 3.0 });
 * const regularised = new SGD({ learningRate: 0.5, l2: 5.0, momentum: 0.9 });
 * ```
 */
export class SGD implements Optimizer {
  /** `'sgd'`. */
  readonly name = 'sgd';
  /** η. */
  learningRate: number;
  /** μ. */
  readonly momentum: number;
  /** λ. */
  readonly l2: number;
  private readonly velocity = new Map<Parameter, Float64Array>();

  /**
   * @param options - See {@link SGDOptions}.
   * @throws {@link OptionError} if an option is out of range (e.g. a negative or NaN learning rate).
   */
  constructor(options: SGDOptions) {
    if (typeof options !== 'object' || options === null) throw new OptionError('SGD: options must be an object like { learningRate: 0.1 }');
    this.learningRate = checkOption('SGD', 'learningRate', options.learningRate, 0);
    this.momentum = checkOption('SGD', 'momentum', options.momentum ?? 0, 0, 1, false);
    this.l2 = checkOption('SGD', 'l2', options.l2 ?? 0, 0);
  }

  /**
   * Applies one update to each parameter.
   *
   * @param parameters - The parameters, with their mean gradients in `grad`.
   * @param context - Must carry `trainingSetSize` when `l2` > 0.
   * @returns Whether every updated value is finite.
   * @throws {@link OptionError} if `l2` > 0 and the training-set size is missing, or the learning rate was set to an invalid value.
   */
  step(parameters: readonly Parameter[], context: StepContext = {}): boolean {
    const eta = checkOption('SGD', 'learningRate', this.learningRate, 0);
    const n = context.trainingSetSize;
    if (this.l2 > 0 && (n === undefined || !(n > 0))) {
      throw new OptionError('SGD: l2 needs the training-set size n: pass { trainingSetSize } to step (fit does this)');
    }
    const mu = this.momentum;
    let finite = true;
    for (const p of parameters) {
      // The sum of the stored values is finite exactly when they all are (barring a huge sum, rechecked).
      let sum: number;
      const w = p.value.data;
      const g = p.grad.data;
      // The book's weight decay factor (1 − ηλ/n), eq. 93; 1 for biases.
      const decay = p.decay && this.l2 > 0 ? 1 - (eta * this.l2) / (n as number) : 1;
      if (mu === 0) {
        // the book's eq. 20 (with eq. 93's decay): w ← (1 − ηλ/n) w − η ∇C
        sum = ops.sgdStep(w, g, eta, decay);
      } else {
        // chapter 3's momentum: v ← μ v − η ∇C, w ← (1 − ηλ/n) w + v
        let v = this.velocity.get(p);
        if (v === undefined) this.velocity.set(p, (v = new Float64Array(w.length)));
        sum = ops.momentumStep(w, g, v, mu, eta, decay);
      }
      if (!finiteAfterSum(sum, w)) finite = false;
    }
    return finite;
  }

  /**
   * `{ kind: 'sgd', config, stepCount: 0, slots: { velocity } }`.
   *
   * @param parameters - The parameters, in order.
   * @returns The state as plain data.
   */
  getState(parameters: readonly Parameter[]): OptimizerState {
    return {
      kind: 'sgd',
      config: { learningRate: this.learningRate, momentum: this.momentum, l2: this.l2 },
      stepCount: 0,
      slots: { velocity: slotToData(parameters, (p) => this.velocity.get(p)) },
    };
  }

  /**
   * A copy of the velocities to go back to (see {@link Optimizer.snapshot}).
   *
   * @param parameters - The parameters.
   * @returns The snapshot.
   */
  snapshot(parameters: readonly Parameter[]): OptimizerSnapshot {
    return mapSnapshot(parameters, this.velocity, (v) => [v], ([v]) => v as Float64Array);
  }

  /**
   * Restores the learning rate and the velocities.
   *
   * @param parameters - The parameters, in the order of {@link SGD.getState}.
   * @param state - The saved state.
   * @throws {@link FormatError} if the state does not match the parameters.
   */
  setState(parameters: readonly Parameter[], state: OptimizerState): void {
    // Everything is checked before anything is replaced.
    const learningRate = checkOption('SGD', 'learningRate', state.config.learningRate, 0);
    const velocity = new Map<Parameter, Float64Array>();
    slotFromData('SGD', 'velocity', parameters, state.slots.velocity, (p, v) => velocity.set(p, v));
    this.learningRate = learningRate;
    this.velocity.clear();
    for (const [p, v] of velocity) this.velocity.set(p, v);
  }
}
