import { describe, expect, it } from 'vitest';
import { Sigmoid, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

layerConformance('Sigmoid', {
  make: () => new Sigmoid(),
  example: { input: [[0, 1, -2]], output: [[0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(2))]] },
});

describe('Sigmoid', () => {
  it('stays finite and in [0, 1] for inputs up to ±1e4, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const s = new Sigmoid();
      const a = s.forward(Tensor.from([[-1e4, -745, -50, 50, 745, 1e4]], dtype));
      expect(Array.from(a.data).every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
      expect(a.get(0, 0)).toBe(0);
      expect(a.get(0, 5)).toBe(1);
      const d = s.backward(Tensor.from([[1, 1, 1, 1, 1, 1]], dtype));
      expect(Array.from(d.data).every(Number.isFinite)).toBe(true);
    }
  });
});
