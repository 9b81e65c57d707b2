/**
 * Central finite differences, the independent reference every analytic
 * gradient in tinydense is checked against.
 */

/** The step h of the central difference in float64. */
export const H = 1e-6;

/**
 * Tolerance rule used throughout the tests: the error of one element is
 *   |analytic − numeric| / max(|analytic|, |numeric|, FLOOR · max(1, |C|))
 * and must be ≤ TOLERANCE = 1e−6. It is a relative error for every gradient larger
 * than FLOOR = 1e−3 (times the cost when the cost exceeds 1). Below that, the
 * central difference itself is dominated by rounding (≈ 2e−16 · |C| / h = 2e−10 · |C|
 * with h = 1e−6), so the rule bounds the absolute error by 1e−9 · max(1, |C|).
 */
export const FLOOR = 1e-3;
export const TOLERANCE = 1e-6;

/** The error of one element under the rule above; `cost` is |C| at the point checked. */
export function relativeError(analytic: number, numeric: number, cost = 1): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), FLOOR * Math.max(1, Math.abs(cost)));
}

/**
 * ∂f/∂v[i] for every i by (f(v + h eᵢ) − f(v − h eᵢ)) / 2h, restoring v afterwards.
 */
export function numericGradient(v: Float64Array | Float32Array, f: () => number, h = H): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const original = v[i] as number;
    v[i] = original + h;
    const plus = f();
    v[i] = original - h;
    const minus = f();
    v[i] = original;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** The largest relative error between two gradients. */
export function maxRelativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>, cost = 1): number {
  let worst = 0;
  for (let i = 0; i < analytic.length; i++) {
    const e = relativeError(analytic[i] as number, numeric[i] as number, cost);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
