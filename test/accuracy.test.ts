import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, accuracy } from 'tinydense';

describe('accuracy', () => {
  const p = Tensor.from([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
  it('counts argmax agreement with class labels', () => {
    expect(accuracy(p, [1, 1, 1])).toBeCloseTo(2 / 3, 12);
  });
  it('counts argmax agreement with one-hot targets', () => {
    expect(accuracy(p, Tensor.from([[0, 1], [1, 0], [1, 0]]))).toBeCloseTo(2 / 3, 12);
  });
  it('thresholds a single output at 0.5', () => {
    expect(accuracy(Tensor.from([[0.2], [0.7], [0.6]]), Tensor.from([[0], [1], [0]]))).toBeCloseTo(2 / 3, 12);
  });
  it('rejects mismatched counts', () => {
    expect(() => accuracy(p, [1])).toThrow(ShapeError);
    expect(() => accuracy(p, Tensor.zeros([3, 3]))).toThrow(ShapeError);
  });
});
