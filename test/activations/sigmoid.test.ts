import fc from 'fast-check';
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

  it('is exactly 1 / (1 + e^(−z)) for z ≥ 0 and e^z / (1 + e^z) below, NaN and ±Infinity included', () => {
    const s = new Sigmoid();
    const reference = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
    const same = (z: number): boolean => Object.is(s.f(z), reference(z));
    fc.assert(fc.property(fc.double(), same), { numRuns: 2000 });
    fc.assert(fc.property(fc.double({ min: -40, max: 40 }), same), { numRuns: 2000 });
    for (const z of [0, -0, Number.NaN, Infinity, -Infinity, 745, -745, 1e-320]) expect(same(z), `z = ${z}`).toBe(true);
  });
});
