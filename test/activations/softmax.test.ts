import { describe, expect, it } from 'vitest';
import { Softmax, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

const e = Math.exp;
layerConformance('Softmax', {
  make: () => new Softmax(),
  example: { input: [[1, 2, 3]], output: [[e(1) / (e(1) + e(2) + e(3)), e(2) / (e(1) + e(2) + e(3)), e(3) / (e(1) + e(2) + e(3))]] },
});

describe('Softmax', () => {
  it('is finite and correct for logits of ±1e3 and ±1e4', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const a = new Softmax().forward(Tensor.from([[1000, -1000, 1000], [1e4, 1e4 - 1, -1e4]], dtype));
      expect(Array.from(a.data).every(Number.isFinite)).toBe(true);
      expect(a.get(0, 0)).toBeCloseTo(0.5, 6);
      expect(a.get(0, 1)).toBe(0);
      expect(a.get(0, 2)).toBeCloseTo(0.5, 6);
      expect(a.get(1, 0)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
      expect(a.get(1, 1)).toBeCloseTo(Math.exp(-1) / (1 + Math.exp(-1)), 6);
    }
  });

  it('gives rows that sum to 1', () => {
    const a = new Softmax().forward(Tensor.from([[0.3, -2, 7, 1], [0, 0, 0, 0]], 'float64'));
    for (let r = 0; r < 2; r++) expect(Array.from(a.row(r)).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });
});
