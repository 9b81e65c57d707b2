/**
 * Finiteness checks for the NaN guard of `fit`.
 *
 * @module
 */
import type { Parameter } from '../layers/layer.js';

/**
 * The index of the first NaN or ±Infinity.
 *
 * @param data - The values.
 * @returns Its index, or −1 when every value is finite.
 */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    // v − v is NaN exactly for NaN and ±Infinity: one comparison per element.
    if (v - v !== 0) return i;
  }
  return -1;
}

/**
 * Whether every element is finite (neither NaN nor ±Infinity).
 *
 * @param data - The values.
 * @returns True when all are finite.
 */
export function allFinite(data: ArrayLike<number>): boolean {
  return firstNonFinite(data) === -1;
}

/**
 * Whether every parameter's value is finite.
 *
 * @param parameters - The parameters.
 * @returns True when all are finite.
 */
export function parametersFinite(parameters: readonly Parameter[]): boolean {
  for (const p of parameters) if (!allFinite(p.value.data)) return false;
  return true;
}
