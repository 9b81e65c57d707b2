import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dense, Normalization, Sequential, ShapeError, Sigmoid, Tensor, trace } from 'tinydense';
import { buildLayers, networkCase } from '../helpers/arbitraries.js';
import { TOLERANCE, maxRelativeError, numericGradient } from '../helpers/finite-difference.js';

describe('trace', () => {
  it('labels each quantity with its equation and equals gradients() bit for bit, on random networks (both dtypes)', () => {
    fc.assert(
      fc.property(networkCase, fc.constantFrom('float32', 'float64' as const), (c, dtype) => {
        const model = new Sequential(buildLayers({ ...c, dropout: false }), { seed: c.seed, dtype });
        const x = [c.x[0] as number[]];
        const y = [c.y[0] as number[]];
        const before = model.getWeights();
        const t = trace(model, x, y, c.loss);
        const grads = model.gradients(x, y, c.loss);
        const dense = model.layers.filter((l) => l instanceof Dense);
        expect(t.layers).toHaveLength(dense.length);
        t.layers.forEach((layer, k) => {
          expect(layer.l).toBe(k + 1);
          expect(layer.delta.equation).toBe(k === t.layers.length - 1 ? 'BP1' : 'BP2');
          expect([layer.biasGradient.equation, layer.weightGradient.equation]).toEqual(['BP3', 'BP4']);
          expect(layer.weightGradient.values.flat()).toEqual(Array.from((grads[2 * k] as Tensor).data));
          expect(layer.biasGradient.values).toEqual(Array.from((grads[2 * k + 1] as Tensor).data));
          // BP3: ∂C/∂b = δ for one sample; BP4: ∂C/∂w_jk = a_k δ_j (as the layer rounds it)
          expect(layer.biasGradient.values).toEqual(layer.delta.values.map((v) => v + 0));
          const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
          const aPrev = k === 0 ? t.input : (t.layers[k - 1] as { a: readonly number[] }).a;
          layer.weightGradient.values.forEach((row, kk) => row.forEach((v, j) => expect(v).toBe(round((aPrev[kk] as number) * (layer.delta.values[j] as number)) + 0))); // + 0: accumulated onto a zero, −0 becomes +0
        });
        expect(t.layers.at(-1)?.a).toEqual(Array.from(model.predict(x).data));
        expect(model.getWeights()).toEqual(before); // nothing changed
      }),
      { numRuns: 300 },
    );
  });

  it('gives δ that finite differences confirm: ∂C/∂b = δ (float64)', () => {
    const model = new Sequential([new Normalization().adapt([[0, 1], [2, 5]]), new Dense(2, 3), new Sigmoid(), new Dense(3, 2), new Sigmoid()], { seed: 3, dtype: 'float64' });
    const x = Tensor.from([[0.4, 2]], 'float64');
    const y = Tensor.from([[1, 0]], 'float64');
    const t = trace(model, x, y, 'quadratic');
    const biases = model.parameters().filter((p) => p.name === 'biases');
    t.layers.forEach((layer, k) => {
      const b = (biases[k] as { value: Tensor }).value;
      const numeric = numericGradient(b.data as Float64Array, () => model.evaluate(x, y, 'quadratic').loss);
      expect(maxRelativeError(layer.delta.values, numeric, t.cost)).toBeLessThanOrEqual(TOLERANCE);
    });
    expect(t.input).toEqual([(0.4 - 1) / 1, (2 - 3) / 2]); // after the Normalization: a⁰ as the first Dense sees it
  });

  it('takes one sample only', () => {
    const model = new Sequential([new Dense(2, 1)]);
    expect(() => trace(model, [[1, 2], [3, 4]], [[1], [2]], 'quadratic')).toThrow(ShapeError);
    expect(() => trace(model, [[1, 2], [3, 4]], [[1], [2]], 'quadratic')).toThrow(/one sample/);
  });
});
