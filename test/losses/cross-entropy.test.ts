import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, Sigmoid, Softmax, Tensor } from 'tinydense';
import { maxRelativeError, numericGradient, TOLERANCE } from '../helpers/finite-difference.js';

describe('CrossEntropyLoss', () => {
  it('is −(1/m) Σ [y ln a + (1 − y) ln(1 − a)]', () => {
    const v = new CrossEntropyLoss().value(Tensor.from([[0.5, 0.9]], 'float64'), Tensor.from([[1, 0]], 'float64'));
    expect(v).toBeCloseTo(-Math.log(0.5) - Math.log(0.1), 14);
  });

  it('stays finite at a = 0 and a = 1, value and gradient, float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const loss = new CrossEntropyLoss();
      const a = Tensor.from([[0, 1, 0, 1]], dtype);
      const y = Tensor.from([[1, 0, 0, 1]], dtype);
      expect(Number.isFinite(loss.value(a, y))).toBe(true);
      expect(loss.value(Tensor.from([[0, 1]], dtype), Tensor.from([[0, 1]], dtype))).toBeCloseTo(0, 10);
      expect(Array.from(loss.gradient(a, y).data).every(Number.isFinite)).toBe(true);
    }
  });

  it('has a gradient equal to finite differences for a in (0, 1)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (av, yv) => {
          const loss = new CrossEntropyLoss();
          const a = new Tensor(Float64Array.from(av), [2, 2]);
          const y = new Tensor(Float64Array.from(yv), [2, 2]);
          const g = loss.gradient(a, y).clone();
          expect(maxRelativeError(g.data, numericGradient(a.data, () => loss.value(a, y)), loss.value(a, y))).toBeLessThanOrEqual(TOLERANCE);
        },
      ),
    );
  });

  it('fuses with a Sigmoid output only, giving the book’s δ = (a − y)/m', () => {
    const loss = new CrossEntropyLoss();
    expect(loss.fusedWith(new Sigmoid())).toBe(true);
    expect(loss.fusedWith(new Softmax())).toBe(false);
    const d = loss.fusedGradient(Tensor.from([[0.25], [1]], 'float64'), Tensor.from([[1], [0]], 'float64'));
    expect(d.toArray()).toEqual([[-0.375], [0.5]]);
  });
});
