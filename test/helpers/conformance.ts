/**
 * One conformance suite that every built-in layer passes (STYLE habit 10):
 * output shape, a hand-computed example, the finite-difference input gradient in
 * float64, buffers that do not leak between calls, and a JSON round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dense, Rng, Sequential, ShapeError, Tensor, type Layer } from 'tinydense';
import { TOLERANCE, maxRelativeError, numericGradient } from './finite-difference.js';

export interface LayerCase {
  /** A fresh layer; width is the input width. */
  make(width: number): Layer;
  /** Input and expected output, computed by hand. */
  example: { input: number[][]; output: number[][] };
  /** Avoid inputs within this distance of a kink (ReLU). */
  kinkClearance?: number;
}

export function layerConformance(name: string, c: LayerCase): void {
  describe(`${name} conformance`, () => {
    const init = (layer: Layer): Layer => {
      layer.initialize?.(new Rng(7), 'float64');
      return layer;
    };

    it('computes the hand-worked example', () => {
      const width = c.example.input[0]?.length ?? 1;
      const out = init(c.make(width)).forward(Tensor.from(c.example.input, 'float64')).toArray();
      out.flat().forEach((v, i) => expect(v).toBeCloseTo(c.example.output.flat()[i] as number, 12));
    });

    it('gives [batch, outputWidth] for any batch and keeps the input dtype', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom('float32', 'float64' as const), (batch, width, dtype) => {
          const layer = c.make(width);
          layer.initialize?.(new Rng(1), dtype);
          const y = layer.forward(Tensor.zeros([batch, width], dtype));
          expect(y.shape).toEqual([batch, layer.outputWidth(width)]);
          expect(y.dtype).toBe(dtype);
        }),
      );
    });

    it('backpropagates the input gradient that finite differences give (float64)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 5 }),
          fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 20, maxLength: 20 }),
          fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
          (batch, width, xs, gs) => {
            const clearance = c.kinkClearance ?? 0;
            // Move inputs at least `clearance` away from a kink (ReLU's 0), keeping their sign.
            const xv = xs.slice(0, batch * width).map((v) => (v >= 0 ? v + clearance : v - clearance));
            const layer = init(c.make(width));
            const x = new Tensor(Float64Array.from(xv), [batch, width]);
            const outWidth = layer.outputWidth(width);
            // C = Σ g ⊙ layer(x) for a fixed random g, so ∂C/∂output = g.
            const g = new Tensor(Float64Array.from({ length: batch * outWidth }, (_, i) => gs[i % gs.length] as number), [batch, outWidth]);
            const cost = (): number => Array.from(layer.forward(x).data).reduce((s, v, i) => s + v * (g.data[i] as number), 0);
            cost();
            const analytic = layer.backward(g).clone();
            expect(maxRelativeError(analytic.data, numericGradient(x.data, cost), cost())).toBeLessThanOrEqual(TOLERANCE);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('rejects an output gradient of the wrong shape with a ShapeError naming the layer', () => {
      const layer = init(c.make(3));
      layer.forward(Tensor.zeros([2, 3], 'float64'));
      expect(() => layer.backward(Tensor.zeros([2, layer.outputWidth(3) + 1], 'float64'))).toThrow(ShapeError);
      expect(() => layer.backward(Tensor.zeros([2, layer.outputWidth(3) + 1], 'float64'))).toThrow(layer.name);
    });

    it('round-trips through the model JSON with bit-identical outputs', () => {
      const layer = c.make(3);
      const model = new Sequential(layer instanceof Dense ? [layer] : [new Dense(4, 3), layer], { seed: 5, dtype: 'float64' });
      const copy = Sequential.fromJSON(JSON.parse(JSON.stringify(model)));
      const x = Tensor.from([[0.5, -1, 2, 0.25].slice(0, model.inputWidth)], 'float64');
      expect(copy.predict(x).data).toEqual(model.predict(x).data);
      expect(copy.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    });
  });
}
