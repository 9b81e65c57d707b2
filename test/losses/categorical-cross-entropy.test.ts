import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalCrossEntropyLoss, Sigmoid, Softmax, Tensor } from 'tinydense';
import { maxRelativeError, numericGradient, TOLERANCE } from '../helpers/finite-difference.js';

describe('CategoricalCrossEntropyLoss', () => {
  it('is −(1/m) Σ y ln a', () => {
    const v = new CategoricalCrossEntropyLoss().value(Tensor.from([[0.25, 0.75], [0.5, 0.5]], 'float64'), Tensor.from([[0, 1], [1, 0]], 'float64'));
    expect(v).toBeCloseTo(-(Math.log(0.75) + Math.log(0.5)) / 2, 14);
  });

  it('stays finite when the true class has a = 0 (and is 0 where y = 0, a = 0)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const loss = new CategoricalCrossEntropyLoss();
      const a = Tensor.from([[0, 1]], dtype);
      expect(Number.isFinite(loss.value(a, Tensor.from([[1, 0]], dtype)))).toBe(true);
      expect(loss.value(a, Tensor.from([[0, 1]], dtype))).toBeCloseTo(0, 10);
      expect(Array.from(loss.gradient(a, Tensor.from([[1, 0]], dtype)).data).every(Number.isFinite)).toBe(true);
    }
  });

  it('has a gradient −y/(a m) equal to finite differences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (av, yv) => {
          const loss = new CategoricalCrossEntropyLoss();
          const a = new Tensor(Float64Array.from(av), [2, 3]);
          const y = new Tensor(Float64Array.from(yv), [2, 3]);
          const g = loss.gradient(a, y).clone();
          expect(maxRelativeError(g.data, numericGradient(a.data, () => loss.value(a, y)), loss.value(a, y))).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
    );
  });

  it('fuses with a Softmax output only: a − y for one-hot targets, a·Σy − y in general', () => {
    const loss = new CategoricalCrossEntropyLoss();
    expect(loss.fusedWith(new Softmax())).toBe(true);
    expect(loss.fusedWith(new Sigmoid())).toBe(false);
    const a = Tensor.from([[0.2, 0.8]], 'float64');
    expect(loss.fusedGradient(a, Tensor.from([[0, 1]], 'float64')).toArray()[0]?.map((v) => +v.toFixed(12))).toEqual([0.2, -0.2]);
    expect(loss.fusedGradient(a, Tensor.from([[0, 2]], 'float64')).toArray()[0]?.map((v) => +v.toFixed(12))).toEqual([0.4, -0.4]);
  });
});
