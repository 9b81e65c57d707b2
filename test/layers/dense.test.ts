import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dense, OptionError, Rng, ShapeError, Tensor } from 'tinydense';
import * as ops from '../../src/backend/ops.js';
import { layerConformance } from '../helpers/conformance.js';
import { maxRelativeError, numericGradient, TOLERANCE } from '../helpers/finite-difference.js';
import { setKernelsEnabled } from '../../src/backend/wasm/module.js';

function dense(inputs: number, outputs: number, w: number[][], b: number[]): Dense {
  const d = new Dense(inputs, outputs);
  d.initialize(new Rng(0), 'float64');
  d.weights.data.set(w.flat());
  d.biases.data.set(b);
  return d;
}

layerConformance('Dense', {
  make: (width) => new Dense(width, 3),
  // Rng(7) draws the weights, so the hand example sets its own below instead.
  example: { input: [[0, 0]], output: [[0, 0, 0]] },
});

describe('Dense', () => {
  it('computes z = x·W + b with W of shape [inputs, outputs]', () => {
    const d = dense(2, 3, [[1, 2, 3], [4, 5, 6]], [0.5, -0.5, 1]);
    expect(d.forward(Tensor.from([[1, 1], [2, 0]], 'float64')).toArray()).toEqual([[5.5, 6.5, 10], [2.5, 3.5, 7]]);
  });

  it('adds ∂C/∂W = xᵀδ and ∂C/∂b = Σδ into the gradients (accumulating across calls)', () => {
    const d = dense(2, 1, [[1], [1]], [0]);
    const x = Tensor.from([[1, 2], [3, 0]], 'float64');
    d.forward(x);
    const dx = d.backward(Tensor.from([[1], [2]], 'float64'));
    expect(dx.toArray()).toEqual([[1, 1], [2, 2]]);
    const [w, b] = d.parameters();
    expect(w?.grad.toArray()).toEqual([[7], [2]]);
    expect(b?.grad.toArray()).toEqual([[3]]);
    d.forward(x);
    d.backward(Tensor.from([[1], [2]], 'float64'));
    expect(w?.grad.toArray()).toEqual([[14], [4]]);
  });

  it('has parameter gradients equal to finite differences', () => {
    const d = new Dense(4, 3);
    d.initialize(new Rng(11), 'float64');
    const x = Tensor.from([[0.5, 0, -1, 2], [0, 0, 3, -0.5]], 'float64');
    const g = Tensor.from([[1, -2, 0.5], [0.25, 1, -1]], 'float64');
    const cost = (): number => Array.from(d.forward(x).data).reduce((s, v, i) => s + v * (g.data[i] as number), 0);
    cost();
    d.backward(g);
    for (const p of d.parameters()) {
      const analytic = p.grad.clone();
      expect(maxRelativeError(analytic.data, numericGradient(p.value.data, cost), cost())).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('skips zero inputs without changing a bit: forward and ∇W equal a plain loop over every input (SIMD kernels, the loops on kernel memory for small calls, TypeScript loops)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(0, 600), // 0: the kernels for every call; 600 (the default): these small calls run the loops
        fc.constantFrom('float32', 'float64' as const),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (kernels, smallWork, dtype, batch, inputs, outputs, seed) => {
          const previous = ops.setSmallWork(smallWork);
          const rng = new Rng(seed);
          const d = new Dense(inputs, outputs, { init: 'nielsen-large' });
          setKernelsEnabled(kernels);
          d.initialize(rng, dtype);
          setKernelsEnabled(true);
          // Sparse inputs: about half exactly zero, like MNIST's blank pixels.
          const x = Tensor.zeros([batch, inputs], dtype);
          for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() < 0.5 ? 0 : rng.normal();
          const g = Tensor.zeros([batch, outputs], dtype);
          for (let i = 0; i < g.data.length; i++) g.data[i] = rng.normal();
          const z = d.forward(x).clone();
          d.accumulateGradients(g);
          // The reference: every input, in the same order, each product and sum rounded to the dtype.
          const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
          const w = d.weights.data;
          const b = d.biases.data;
          for (let n = 0; n < batch; n++) {
            for (let j = 0; j < outputs; j++) {
              let acc = b[j] as number;
              for (let k = 0; k < inputs; k++) {
                const xk = x.data[n * inputs + k] as number;
                if (xk !== 0) acc = round(acc + round(xk * (w[k * outputs + j] as number)));
              }
              expect(Object.is(z.data[n * outputs + j], acc)).toBe(true);
            }
          }
          const gradW = d.parameters()[0]?.grad.data as Float32Array | Float64Array;
          for (let k = 0; k < inputs; k++) {
            for (let j = 0; j < outputs; j++) {
              let acc = 0;
              for (let n = 0; n < batch; n++) {
                const xk = x.data[n * inputs + k] as number;
                if (xk !== 0) acc = round(acc + round(xk * (g.data[n * outputs + j] as number)));
              }
              expect(Object.is(gradW[k * outputs + j], acc)).toBe(true);
            }
          }
          ops.setSmallWork(previous);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names itself and both shapes when the input width is wrong', () => {
    const d = new Dense(784, 30);
    d.initialize(new Rng(0), 'float32');
    expect(() => d.forward(Tensor.zeros([10, 785]))).toThrow(ShapeError);
    expect(() => d.forward(Tensor.zeros([10, 785]))).toThrow('Dense(784→30).forward: expected float32 [batch, 784], got float32 [10, 785]');
  });

  it('takes a batch of packed rows as the gathered rows, and names what is wrong: the width, a float64 layer, a row outside the set', () => {
    const rows = ops.packRows(Tensor.from([[0, 1, 0], [2, 0, 0]]), 1) as ops.PackedRows;
    const d = new Dense(3, 2);
    d.initialize(new Rng(0), 'float32');
    expect(Array.from(d.forwardRows(ops.rowBatch(rows, Uint32Array.of(1, 0))).data)).toEqual(Array.from(d.forward(Tensor.from([[2, 0, 0], [0, 1, 0]])).data));
    expect(() => ops.rowBatch(rows, Uint32Array.of(2))).toThrow(new ShapeError("rowBatch: row 2 is outside the packed rows' shape [2, 3]"));
    const narrow = new Dense(2, 2);
    narrow.initialize(new Rng(0), 'float32');
    expect(() => narrow.forwardRows(ops.rowBatch(rows, Uint32Array.of(0)))).toThrow('Dense(2→2).forward: expected float32 [batch, 2], got float32 [1, 3]');
    const wide = new Dense(3, 2);
    wide.initialize(new Rng(0), 'float64');
    expect(() => wide.forwardRows(ops.rowBatch(rows, Uint32Array.of(0)))).toThrow('Dense(3→2).forward: expected float64 [batch, 3], got float32 [1, 3]');
    expect(() => new Dense(3, 2).forwardRows(ops.rowBatch(rows, Uint32Array.of(0)))).toThrow(/not initialised/);
  });

  it('rejects bad sizes and unknown init schemes with an OptionError', () => {
    expect(() => new Dense(0, 3)).toThrow(OptionError);
    expect(() => new Dense(2.5, 3)).toThrow(/inputs must be a positive integer, got 2.5/);
    // @ts-expect-error: an unknown init, as a JavaScript caller could pass
    expect(() => new Dense(2, 3, { init: 'glorot' })).toThrow(/unknown init "glorot"/);
  });

  it('says it is not initialised instead of failing obscurely', () => {
    expect(() => new Dense(2, 3).parameters()).toThrow(/not initialised/);
  });

  it('draws each init scheme with the documented scale', () => {
    const stats = (init: 'nielsen-large' | 'nielsen' | 'xavier' | 'he'): { wStd: number; wMax: number; bStd: number } => {
      const d = new Dense(400, 200, { init });
      d.initialize(new Rng(1), 'float64');
      const w = Array.from(d.weights.data);
      const b = Array.from(d.biases.data);
      const std = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
      return { wStd: std(w), wMax: Math.max(...w.map(Math.abs)), bStd: std(b) };
    };
    const large = stats('nielsen-large');
    expect(large.wStd).toBeCloseTo(1, 1);
    expect(large.bStd).toBeGreaterThan(0.8);
    const nielsen = stats('nielsen');
    expect(nielsen.wStd).toBeCloseTo(1 / Math.sqrt(400), 2);
    expect(nielsen.bStd).toBeGreaterThan(0.8);
    const xavier = stats('xavier');
    expect(xavier.wMax).toBeLessThanOrEqual(Math.sqrt(6 / 600));
    expect(xavier.wStd).toBeCloseTo(Math.sqrt(6 / 600) / Math.sqrt(3), 2);
    expect(xavier.bStd).toBe(0);
    const he = stats('he');
    expect(he.wStd).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(he.bStd).toBe(0);
  });
});
