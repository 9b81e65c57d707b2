import { describe, expect, it } from 'vitest';
import { DataError, ShapeError, Tensor, confusionMatrix } from 'tinydense';

describe('confusionMatrix', () => {
  it('counts actual (rows) against predicted (columns), with per-class and overall accuracy', () => {
    const p = Tensor.from([[0.9, 0.1, 0], [0.2, 0.8, 0], [0.7, 0.3, 0], [0, 0, 1], [0, 1, 0]]);
    const c = confusionMatrix(p, [0, 1, 1, 2, 1]);
    expect(c.matrix).toEqual([[1, 0, 0], [1, 2, 0], [0, 0, 1]]);
    expect(c.perClassAccuracy).toEqual([1, 2 / 3, 1]);
    expect(c.accuracy).toBe(0.8);
  });

  it('gives NaN accuracy for a class without samples, and checks its input', () => {
    expect(confusionMatrix(Tensor.from([[1, 0]]), [0]).perClassAccuracy).toEqual([1, NaN]);
    expect(() => confusionMatrix(Tensor.from([[1, 0]]), [0, 1])).toThrow(ShapeError);
    expect(() => confusionMatrix(Tensor.from([[1, 0]]), [2])).toThrow(DataError);
  });
});
