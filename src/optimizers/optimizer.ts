/**
 * The `Optimizer` contract and option checks shared by the optimizers.
 *
 * @module
 */
import { FormatError, OptionError, describe } from '../errors.js';
import type { Parameter } from '../layers/layer.js';

/** What `Sequential.fit` tells an optimizer at each step. */
export interface StepContext {
  /** n, the size of the whole training set (for the book's L2 decay factor 1 − ηλ/n). */
  readonly trainingSetSize?: number;
}

/**
 * Updates parameters from their gradients. An optimizer sees parameters, never
 * layers; any state it keeps (momentum, Adam's moments) is keyed by the parameter.
 *
 * @example
 * ```ts
 * import { SGD, type Optimizer } from 'tinydense';
 * const optimizer: Optimizer = new SGD({ learningRate: 3.0 });
 * // optimizer.step(model.parameters()) after the gradients were computed
 * ```
 */
export interface Optimizer {
  /** The optimizer's name, e.g. `'sgd'`. */
  readonly name: string;
  /** η, the learning rate; may be changed between steps (e.g. by a schedule). */
  learningRate: number;
  /**
   * Updates each parameter's value in place from its `grad`.
   *
   * Built-in optimizers return whether every value they stored is finite (a check
   * folded into the update loop, nearly free); an optimizer that returns nothing
   * has its parameters scanned by `fit` instead.
   *
   * @param parameters - The parameters to update.
   * @param context - Facts about the training run, see {@link StepContext}.
   * @returns Optionally, whether every updated value is finite.
   */
  step(parameters: readonly Parameter[], context?: StepContext): boolean | void;
  /**
   * The optimizer's configuration and per-parameter state as plain data, for a
   * checkpoint (built-in optimizers only).
   *
   * @param parameters - The parameters it updates, in the order the state is listed.
   * @returns The state.
   */
  getState?(parameters: readonly Parameter[]): OptimizerState;
  /**
   * Restores a state from {@link Optimizer.getState}, so training continues exactly.
   *
   * @param parameters - The same parameters, in the same order.
   * @param state - The saved state.
   */
  setState?(parameters: readonly Parameter[], state: OptimizerState): void;
  /**
   * A copy of the per-parameter state (and step count) that training can go back
   * to, kept in typed arrays reused from one `take` to the next: what `fit`'s
   * non-finite guard takes at every epoch's start (cheaper than `getState`).
   * Optional: without it the guard uses `getState`/`setState`.
   *
   * @param parameters - The parameters it updates.
   * @returns The snapshot, empty until its first `take`.
   */
  snapshot?(parameters: readonly Parameter[]): OptimizerSnapshot;
}

/** A copy of an optimizer's state to go back to, see {@link Optimizer.snapshot}. */
export interface OptimizerSnapshot {
  /** Copies the current state in, reusing the arrays of the previous copy. */
  take(): void;
  /** Puts the copied state back. */
  restore(): void;
}

/**
 * The snapshot of an optimizer whose state is per-parameter float64 arrays in a
 * map (created on a parameter's first step) plus a step count.
 *
 * @param parameters - The parameters.
 * @param map - The optimizer's per-parameter state.
 * @param arrays - The arrays of one parameter's state.
 * @param make - A parameter's state from arrays.
 * @param count - The step count, if the optimizer keeps one.
 * @returns The snapshot.
 */
export function mapSnapshot<S>(
  parameters: readonly Parameter[],
  map: Map<Parameter, S>,
  arrays: (state: S) => Float64Array[],
  make: (arrays: Float64Array[]) => S,
  count?: { get(): number; set(value: number): void },
): OptimizerSnapshot {
  const copies = new Map<Parameter, Float64Array[]>();
  const present = new Set<Parameter>();
  let steps = 0;
  return {
    take(): void {
      present.clear();
      steps = count?.get() ?? 0;
      for (const p of parameters) {
        const state = map.get(p);
        if (state === undefined) continue;
        const from = arrays(state);
        // plain loops: trainOnBatch takes a snapshot on every call, so this allocates nothing once the copies exist
        let into = copies.get(p);
        if (into === undefined || !sameLengths(into, from)) copies.set(p, (into = from.map((a) => new Float64Array(a.length))));
        for (let i = 0; i < from.length; i++) (into[i] as Float64Array).set(from[i] as Float64Array);
        present.add(p);
      }
    },
    restore(): void {
      count?.set(steps);
      for (const p of parameters) {
        if (!present.has(p)) {
          map.delete(p);
          continue;
        }
        const saved = copies.get(p) as Float64Array[];
        const state = map.get(p);
        if (state === undefined) map.set(p, make(saved.map((a) => Float64Array.from(a))));
        else arrays(state).forEach((a, i) => a.set(saved[i] as Float64Array));
      }
    },
  };
}

/** Whether two lists of arrays have the same lengths, pair by pair. */
function sameLengths(a: readonly Float64Array[], b: readonly Float64Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if ((a[i] as Float64Array).length !== (b[i] as Float64Array).length) return false;
  return true;
}

/**
 * An optimizer's state as plain data: its kind and constructor options, its step
 * count, and per-parameter slots (`velocity` for SGD with momentum, `m` and `v`
 * for Adam), one array per parameter in parameter order, empty where none exists yet.
 */
export interface OptimizerState {
  /** `'sgd'` or `'adam'`. */
  readonly kind: string;
  /** The constructor options, the learning rate included. */
  readonly config: Readonly<Record<string, number>>;
  /** Steps taken (Adam's t; 0 for SGD). */
  readonly stepCount: number;
  /** Named per-parameter state arrays. */
  readonly slots: Readonly<Record<string, readonly (readonly number[])[]>>;
}

/**
 * Per-parameter state arrays as plain data, in parameter order (empty where absent).
 *
 * @param parameters - The parameters.
 * @param slot - Each parameter's array, if it has one.
 * @returns One number array per parameter.
 */
export function slotToData(parameters: readonly Parameter[], slot: (p: Parameter) => Float64Array | undefined): number[][] {
  return parameters.map((p) => Array.from(slot(p) ?? []));
}

/**
 * Reads per-parameter state arrays back, checking each length.
 *
 * @param where - The optimizer, for messages.
 * @param name - The slot's name.
 * @param parameters - The parameters.
 * @param data - The saved arrays.
 * @param set - Stores one parameter's array.
 * @param min - The smallest allowed value (default: any finite number).
 * @throws {@link FormatError} if the count or a length does not match, or a value is not finite or below `min`.
 */
export function slotFromData(
  where: string,
  name: string,
  parameters: readonly Parameter[],
  data: readonly (readonly number[])[] | undefined,
  set: (p: Parameter, values: Float64Array) => void,
  min = -Infinity,
): void {
  if (!Array.isArray(data) || data.length !== parameters.length) {
    throw new FormatError(`${where}.setState: slots.${name} must hold ${parameters.length} arrays, got ${describe(data)}`);
  }
  parameters.forEach((p, i) => {
    const values = data[i] as readonly number[];
    if (!Array.isArray(values)) throw new FormatError(`${where}.setState: slots.${name}[${i}] must be an array, got ${describe(values)}`);
    if (values.length === 0) return;
    if (values.length !== p.value.data.length || !values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= min)) {
      throw new FormatError(`${where}.setState: slots.${name}[${i}] must be ${p.value.data.length} finite numbers${min === 0 ? ' ≥ 0' : ''}`);
    }
    set(p, Float64Array.from(values));
  });
}

/**
 * Checks one numeric option of an optimizer.
 *
 * @param where - The optimizer, for the message.
 * @param name - The option's name.
 * @param value - Its value.
 * @param min - The smallest allowed value.
 * @param max - The largest allowed value.
 * @param maxInclusive - Whether `max` itself is allowed.
 * @returns The value.
 * @throws {@link OptionError} if the value is not a finite number in range.
 */
export function checkOption(where: string, name: string, value: unknown, min: number, max = Infinity, maxInclusive = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (maxInclusive ? value > max : value >= max)) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}${maxInclusive ? ']' : ')'}`;
    throw new OptionError(`${where}: ${name} must be a finite number ${range}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Confirms that every value of a parameter is finite, after a folded-in running
 * sum came out non-finite (which a huge but finite sum can also cause).
 *
 * @param sum - The running sum of the stored values.
 * @param values - The stored values.
 * @returns True when every value is finite.
 */
export function finiteAfterSum(sum: number, values: ArrayLike<number>): boolean {
  if (Number.isFinite(sum)) return true;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false;
  return true;
}
