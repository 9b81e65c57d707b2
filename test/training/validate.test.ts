import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, Tensor } from 'tinydense';
import { checkFinite, valueRange } from '../../src/training/validate.js';

/** Math.min and Math.max over every value (valueRange gives these, or NaN for both where either is NaN). */
const reference = (data: ArrayLike<number>): [number, number] => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    lo = Math.min(lo, data[i] as number);
    hi = Math.max(hi, data[i] as number);
  }
  return [lo, hi];
};

describe('valueRange', () => {
  it('gives the smallest and largest value, ±Infinity included, and NaN for both if any value is NaN', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 3e38, -3e38, 1e-45);
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 7, 4096, 4099, 200_003),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (length, wide, specials, seed) => {
          const data = wide ? new Float64Array(length) : new Float32Array(length);
          for (let i = 0; i < length; i++) data[i] = Math.sin(seed + i * 0.37) * 1000;
          for (const [at, v] of specials) if (length > 0) data[at % length] = v;
          const [lo, hi] = valueRange(data);
          const [rlo, rhi] = reference(data);
          if (Number.isNaN(rlo)) expect([lo, hi]).toEqual([Number.NaN, Number.NaN]);
          else expect([lo === rlo, hi === rhi]).toEqual([true, true]); // −0 and +0 alike
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lets checkFinite name the first non-finite value of a large tensor', () => {
    const x = Tensor.zeros([100, 784]);
    x.data[57 * 784 + 300] = Infinity;
    x.data[90 * 784] = Number.NaN;
    expect(() => checkFinite(x, 'Sequential.predict', 'x')).toThrow(new DataError('Sequential.predict: x has Infinity at row 57, column 300'));
    x.data[57 * 784 + 300] = 0;
    x.data[90 * 784] = 0;
    x.data[5] = -2;
    expect(checkFinite(x, 'Sequential.predict', 'x')).toEqual([-2, 0]);
  });
});
