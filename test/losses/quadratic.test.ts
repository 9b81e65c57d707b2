import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuadraticLoss, ShapeError, Tensor } from 'tinydense';
import { maxRelativeError, numericGradient, TOLERANCE } from '../helpers/finite-difference.js';

describe('QuadraticLoss', () => {
  it('is the book’s mean of ½‖a − y‖²', () => {
    const loss = new QuadraticLoss();
    // sample 1: ½(1² + 2²) = 2.5; sample 2: ½(0 + 1²) = 0.5; mean 1.5
    expect(loss.value(Tensor.from([[1, 2], [0, 1]], 'float64'), Tensor.from([[0, 0], [0, 0]], 'float64'))).toBe(1.5);
  });

  it('has gradient (a − y)/m, equal to finite differences', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }), (v) => {
        const loss = new QuadraticLoss();
        const a = new Tensor(Float64Array.from(v), [3, 2]);
        const y = Tensor.from([[0, 1], [1, 0], [0.5, 0.5]], 'float64');
        const g = loss.gradient(a, y).clone();
        expect(g.get(2, 1)).toBeCloseTo(((a.get(2, 1) - 0.5) / 3), 14);
        expect(maxRelativeError(g.data, numericGradient(a.data, () => loss.value(a, y)))).toBeLessThanOrEqual(TOLERANCE);
      }),
    );
  });

  it('rejects mismatched shapes, naming both', () => {
    expect(() => new QuadraticLoss().value(Tensor.zeros([2, 3]), Tensor.zeros([2, 4]))).toThrow(ShapeError);
    expect(() => new QuadraticLoss().value(Tensor.zeros([2, 3]), Tensor.zeros([2, 4]))).toThrow('[2, 3] but target is [2, 4]');
  });
});
