import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adamStep, momentumStep } from '../../src/backend/reference.js';

/** Equal bit patterns, NaN included. */
const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => Array.from(a).every((x, i) => Object.is(x, b[i]));

const values = (n: number) => fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n });

describe('momentumStep', () => {
  it('stores velocity ← μ·velocity − η·g and w ← decay·w + velocity, rounded once, and returns their sum (both dtypes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(values(n), values(n), values(n))), fc.double({ min: 0, max: 0.99, noNaN: true }), ([w0, g, v0], mu) => {
        for (const Make of [Float32Array, Float64Array]) {
          const w = Make.from(w0);
          const velocity = Float64Array.from(v0);
          const sum = momentumStep(w, Make.from(g), velocity, mu, 0.1, 0.999);
          // the plain loop it replaced: each new value written, then read back
          const expectedW = Make.from(w0);
          const expectedV = Float64Array.from(v0);
          let expectedSum = 0;
          for (let i = 0; i < w0.length; i++) {
            expectedV[i] = mu * (expectedV[i] as number) - 0.1 * (Make.from(g)[i] as number);
            expectedW[i] = 0.999 * (expectedW[i] as number) + (expectedV[i] as number);
            expectedSum += expectedW[i] as number;
          }
          expect(sameBits(w, expectedW) && sameBits(velocity, expectedV)).toBe(true);
          expect(sum).toBe(expectedSum);
        }
      }),
    );
  });
});

describe('adamStep', () => {
  it('is w − (η/c₁)·m / (√v·(1/√c₂) + ε) with the new moments, rounded once, and close to the paper’s η·m̂/(√v̂ + ε)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(values(n), values(n))), fc.integer({ min: 1, max: 50 }), ([w0, g], t) => {
        const [beta1, beta2, epsilon, eta] = [0.9, 0.999, 1e-8, 1e-3];
        for (const Make of [Float32Array, Float64Array]) {
          const w = Make.from(w0);
          const m = new Float64Array(w0.length).fill(0.01);
          const v = new Float64Array(w0.length).fill(0.02);
          const stepSize = eta / (1 - beta1 ** t);
          const rootCorrection = 1 / Math.sqrt(1 - beta2 ** t);
          const sum = adamStep(w, Make.from(g), m, v, { beta1, beta2, epsilon, stepSize, rootCorrection });
          const expected = Make.from(w0);
          let expectedSum = 0;
          for (let i = 0; i < w0.length; i++) {
            const gi = Make.from(g)[i] as number;
            const mi = beta1 * 0.01 + (1 - beta1) * gi;
            const vi = beta2 * 0.02 + (1 - beta2) * gi * gi;
            expect([m[i], v[i]]).toEqual([mi, vi]);
            expected[i] = (expected[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * rootCorrection + epsilon);
            expectedSum += expected[i] as number;
            // the paper's arrangement differs only by rounding
            const paper = (w0[i] as number) - (eta * (mi / (1 - beta1 ** t))) / (Math.sqrt(vi / (1 - beta2 ** t)) + epsilon);
            expect(Math.abs((w[i] as number) - paper)).toBeLessThanOrEqual(Make === Float32Array ? 4e-7 * Math.max(1, Math.abs(paper)) : 1e-15);
          }
          expect(sameBits(w, expected)).toBe(true);
          expect(sum).toBe(expectedSum);
        }
      }),
    );
  });
});
