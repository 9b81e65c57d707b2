import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam, Dense, Rng, SGD, Sequential, Sigmoid, Softmax, ReLU, Tensor, oneHot } from 'tinydense';
import * as ops from '../../../src/backend/ops.js';
import { SparseRows } from '../../../src/backend/sparse-rows.js';
import { DenseKernels } from '../../../src/backend/wasm/dense-kernels.js';
import { setKernelsEnabled } from '../../../src/backend/wasm/module.js';

/** A float32 Dense layer, with or without the SIMD kernels, drawn from `seed`. */
function layer(inputs: number, outputs: number, seed: number, kernels: boolean): Dense {
  setKernelsEnabled(kernels);
  const d = new Dense(inputs, outputs, { init: 'nielsen-large' });
  d.initialize(new Rng(seed), 'float32');
  setKernelsEnabled(true);
  return d;
}

/** Sparse float32 rows: about 80% exact zeros, like MNIST. */
function sparseRows(rng: Rng, rows: number, cols: number): Tensor {
  const x = Tensor.zeros([rows, cols]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() < 0.8 ? 0 : rng.uniform();
  return x;
}

const bits = (t: Tensor): number[] => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));

afterEach(() => setKernelsEnabled(true));
// This file tests the kernels themselves: every call on them, however small (see the last test for the default).
let smallWork = 0;
beforeAll(() => (smallWork = ops.setSmallWork(0)));
afterAll(() => ops.setSmallWork(smallWork));

describe('DenseKernels', () => {
  it('runs here (Node has WebAssembly SIMD), so the tests below compare two paths; Dense.simd says which ran', () => {
    expect(DenseKernels.create(3, 2)).toBeDefined();
    expect(layer(3, 2, 0, true).simd).toBe(true);
    expect(layer(3, 2, 0, false).simd).toBe(false);
    const wide = new Dense(3, 2);
    wide.initialize(new Rng(0), 'float64');
    expect(wide.simd).toBe(false); // float64 layers always run the TypeScript loops
  });

  it('gives the same bits as the TypeScript loops (forward, ∂C/∂W, ∂C/∂b, ∂C/∂x) across several chunks, the last one partial', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.constantFrom(1995, 2000, 2003),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, inputs, outputs, seed) => {
          // about 2,000 inputs: 32 rows per chunk, so up to five chunks
          const fast = layer(inputs, outputs, seed, true);
          const plain = layer(inputs, outputs, seed, false);
          const rng = new Rng(seed + 1);
          const x = sparseRows(rng, batch, inputs);
          const delta = Tensor.zeros([batch, outputs]);
          for (let i = 0; i < delta.data.length; i++) delta.data[i] = rng.normal();
          expect(bits(fast.forward(x))).toEqual(bits(plain.forward(x)));
          expect(bits(fast.backward(delta))).toEqual(bits(plain.backward(delta)));
          fast.parameters().forEach((p, i) => expect(bits(p.grad)).toEqual(bits(plain.parameters()[i]?.grad as Tensor)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([16, 17, 32, 33])('gives the same bits as the TypeScript loops at %i outputs (the forward product in tiles of 16; the weight gradient in tiles of 32, or 16 where 16 or fewer are left)', (outputs) => {
    const fast = layer(50, outputs, 7, true);
    const plain = layer(50, outputs, 7, false);
    const rng = new Rng(8);
    const x = sparseRows(rng, 20, 50);
    const delta = Tensor.zeros([20, outputs]);
    for (let i = 0; i < delta.data.length; i++) delta.data[i] = rng.normal();
    expect(bits(fast.forward(x))).toEqual(bits(plain.forward(x)));
    expect(bits(fast.backward(delta))).toEqual(bits(plain.backward(delta)));
    fast.parameters().forEach((p, i) => expect(bits(p.grad)).toEqual(bits(plain.parameters()[i]?.grad as Tensor)));
  });

  it('gives the same bits as the TypeScript loops on dense rows (the groups of four), where rows share their zeros, where they differ, and with −0, NaN and ±Infinity', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 3e38, -1e-45);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.constantFrom(7, 64, 1995, 2003),
        fc.integer({ min: 1, max: 37 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, inputs, outputs, strayZeros, specials, seed) => {
          const fast = layer(inputs, outputs, seed, true);
          const plain = layer(inputs, outputs, seed, false);
          const rng = new Rng(seed + 1);
          // standardised features: a column in ten never varies (0 in every row); a few stray zeros make groups mixed
          const constant = Array.from({ length: inputs }, () => rng.uniform() < 0.1);
          const x = Tensor.zeros([batch, inputs]);
          for (let i = 0; i < x.data.length; i++) x.data[i] = constant[i % inputs] || rng.uniform() < strayZeros ? 0 : rng.normal();
          for (const [at, v] of specials) x.data[at % x.data.length] = v;
          const delta = Tensor.zeros([batch, outputs]);
          for (let i = 0; i < delta.data.length; i++) delta.data[i] = rng.normal();
          const z = bits(fast.forward(x));
          const range = ops.scannedRange(x) as [number, number]; // read before the next forward forgets it
          expect(z).toEqual(bits(plain.forward(x)));
          const values = Array.from(x.data);
          if (values.some(Number.isNaN)) expect(range).toEqual([Number.NaN, Number.NaN]);
          else expect(range).toEqual([values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b))].map((v) => (v === 0 ? expect.anything() : v)));
          expect(bits(fast.backward(delta))).toEqual(bits(plain.backward(delta)));
          fast.parameters().forEach((p, i) => expect(bits(p.grad)).toEqual(bits(plain.parameters()[i]?.grad as Tensor)));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('finds the range of the input on its way (Dense.lastInputRange), across chunks and ragged widths, NaN and ±Infinity included', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 3e38, -3e38, -1e-45);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.constantFrom(3, 8, 1995, 2003),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, inputs, specials, seed) => {
          const d = layer(inputs, 3, seed, true);
          const x = sparseRows(new Rng(seed), batch, inputs);
          for (const [at, v] of specials) x.data[at % x.data.length] = v;
          d.forward(x);
          const [lo, hi] = ops.scannedRange(x) as [number, number];
          const values = Array.from(x.data);
          if (values.some(Number.isNaN)) expect([lo, hi]).toEqual([Number.NaN, Number.NaN]);
          else expect([lo === values.reduce((a, b) => Math.min(a, b)), hi === values.reduce((a, b) => Math.max(a, b))]).toEqual([true, true]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts a run of eight zeros, which the scan skips, in the range: [0, max] with one, [min, max] without', () => {
    const d = layer(16, 3, 0, true);
    const eight = [0.5, 0.75, 0.25, 1, 0.125, 0.375, 0.625, 0.875];
    const withZeros = Tensor.from([[0, 0, 0, 0, 0, 0, 0, 0, ...eight]]);
    d.forward(withZeros);
    expect(ops.scannedRange(withZeros)).toEqual([0, 1]);
    const without = Tensor.from([[...eight, ...eight]]);
    d.forward(without);
    expect(ops.scannedRange(without)).toEqual([0.125, 1]);
  });

  it('scans no input range without the kernels, after row batches, for another tensor, or a second time', () => {
    const x = Tensor.from([[1, 2, 3]]);
    const plain = layer(3, 2, 0, false);
    plain.forward(x);
    expect(ops.scannedRange(x)).toBeUndefined();
    const fast = layer(3, 2, 0, true);
    fast.forward(x);
    expect(ops.scannedRange(Tensor.from([[1, 2, 3]]))).toBeUndefined();
    fast.forward(x);
    expect(ops.scannedRange(x)).toEqual([1, 3]);
    expect(ops.scannedRange(x)).toBeUndefined();
    fast.forward(x);
    fast.forwardRows(ops.rowBatch(SparseRows.fromDense(Tensor.from([[1, 0, 3]])) as SparseRows, Uint32Array.of(0)));
    expect(ops.scannedRange(x)).toBeUndefined();
  });

  it('forward of a row batch gives the bits forward gives on the gathered rows, and the same gradients after, shuffled or consecutive, across chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.integer({ min: 1, max: 37 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (batch, outputs, shuffled, seed) => {
          const rng = new Rng(seed + 1);
          const all = sparseRows(rng, 150, 2000);
          const source = SparseRows.fromDense(all) as SparseRows;
          const start = rng.int(151 - batch);
          const indices = Uint32Array.from({ length: batch }, (_, i) => start + i);
          if (shuffled) rng.shuffle(indices);
          const gathered = all.gatherRows(indices);
          const delta = Tensor.zeros([batch, outputs]);
          for (let i = 0; i < delta.data.length; i++) delta.data[i] = rng.normal();
          const reference = layer(2000, outputs, seed, false);
          const z = bits(reference.forward(gathered));
          const dx = bits(reference.backward(delta));
          for (const kernels of [true, false]) {
            const d = layer(2000, outputs, seed, kernels);
            expect(bits(d.forwardRows(ops.rowBatch(source, indices)))).toEqual(z);
            expect(bits(d.backward(delta))).toEqual(dx);
            d.parameters().forEach((p, i) => expect(bits(p.grad)).toEqual(bits(reference.parameters()[i]?.grad as Tensor)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('takes the same Adam steps as the reference loop (weights and both moments, odd lengths, a saved state restored into the kernel’s memory)', () => {
    const f64bits = (a: Float64Array): string[] => Array.from(a, (v) => v.toString(16) + (Object.is(v, -0) ? '-0' : ''));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), (outputs, steps, seed) => {
        const fast = layer(7, outputs, seed, true);
        const plain = layer(7, outputs, seed, false);
        const adams = [new Adam({ learningRate: 0.01 }), new Adam({ learningRate: 0.01 })];
        const rng = new Rng(seed + 1);
        for (let t = 0; t < steps; t++) {
          const grads = fast.parameters().map((p) => Float32Array.from(p.grad.data, () => rng.normal()));
          [fast, plain].forEach((d, side) => {
            d.parameters().forEach((p, i) => p.grad.data.set(grads[i] as Float32Array));
            expect((adams[side] as Adam).step(d.parameters())).toBe(true);
          });
        }
        fast.parameters().forEach((p, i) => expect(bits(p.value)).toEqual(bits(plain.parameters()[i]?.value as Tensor)));
        const moments = (adam: Adam, d: Dense): Float64Array | undefined =>
          (adam as unknown as { moments: Map<unknown, { m: Float64Array }> }).moments.get(d.parameters()[0])?.m;
        expect(moments(adams[0] as Adam, fast)?.buffer === fast.parameters()[0]?.value.data.buffer).toBe(true); // so the kernel took the steps
        const [a, b] = adams.map((adam, side) => adam.getState((side === 0 ? fast : plain).parameters()));
        expect(a).toEqual(b);
        // the moments live beside the weights, where the kernel reaches them, also when a
        // checkpoint's state is restored into a new model's optimizer
        const resumed = layer(7, outputs, seed, true);
        const restored = new Adam();
        restored.setState(resumed.parameters(), a as NonNullable<typeof a>);
        const m = moments(restored, resumed);
        expect(m?.buffer === resumed.parameters()[0]?.value.data.buffer).toBe(true);
        expect(f64bits(m as Float64Array)).toEqual(f64bits(Float64Array.from((a as NonNullable<typeof a>).slots.m[0] as number[])));
      }),
      { numRuns: 40 },
    );
  });

  it('reports an Adam step with a NaN gradient as not finite, on the kernel as on the loop', () => {
    for (const kernels of [true, false]) {
      const d = layer(7, 9, 0, kernels);
      const [w] = d.parameters();
      (w as { grad: Tensor }).grad.data[5] = Number.NaN;
      expect(new Adam().step(d.parameters())).toBe(false);
    }
  });

  it('takes the same SGD steps as the reference loop, with and without L2 weight decay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0, 5), fc.integer({ min: 0, max: 1000 }), (outputs, eta, l2, seed) => {
        const fast = layer(7, outputs, seed, true);
        const plain = layer(7, outputs, seed, false);
        for (const d of [fast, plain]) {
          const r = new Rng(seed + 2);
          // gradients with whole runs of zeros, as a sparse input leaves them
          for (const p of d.parameters()) for (let i = 0; i < p.grad.data.length; i++) p.grad.data[i] = r.uniform() < 0.5 ? 0 : r.normal();
        }
        const ok = [fast, plain].map((d) => new SGD({ learningRate: eta, l2 }).step(d.parameters(), { trainingSetSize: 100 }));
        expect(ok).toEqual([true, true]);
        fast.parameters().forEach((p, i) => expect(bits(p.value)).toEqual(bits(plain.parameters()[i]?.value as Tensor)));
      }),
      { numRuns: 60 },
    );
  });

  it('reports a step that overflows float32 as not finite', () => {
    const d = layer(3, 5, 0, true);
    for (const p of d.parameters()) p.grad.data.fill(1e38);
    expect(new SGD({ learningRate: 1e10 }).step(d.parameters())).toBe(false);
  });

  it('trains a whole model to the same bits as the reference loops (sigmoid + quadratic, ReLU + softmax)', () => {
    const rng = new Rng(3);
    const x = sparseRows(rng, 300, 50);
    const labels = Uint8Array.from({ length: 300 }, (_, i) => ((x.data[i * 50 + 1] as number) > 0 ? 1 : 0) + ((x.data[i * 50 + 2] as number) > 0 ? 1 : 0));
    const y = oneHot(labels, 3);
    for (const [build, loss] of [
      [() => new Sequential([new Dense(50, 16, { init: 'nielsen-large' }), new Sigmoid(), new Dense(16, 3), new Sigmoid()], { seed: 4 }), 'quadratic'],
      [() => new Sequential([new Dense(50, 16, { init: 'he' }), new ReLU(), new Dense(16, 3), new Softmax()], { seed: 4 }), 'categorical-cross-entropy'],
    ] as const) {
      const weights = [true, false].map((kernels) => {
        setKernelsEnabled(kernels);
        const model = build();
        setKernelsEnabled(true);
        model.fit(x, y, { epochs: 3, batchSize: 10, loss, optimizer: new SGD({ learningRate: 0.5 }) });
        return model.getWeights().map(bits);
      });
      expect(weights[0]).toEqual(weights[1]);
    }
  });

  it('by default sends a call with little work (rows × inputs × outputs under 600) to the loops, on the kernel memory, with the same bits', () => {
    const rng = new Rng(9);
    for (const [batch, inputs, outputs] of [[1, 8, 8], [2, 16, 16], [10, 8, 8], [20, 30, 10]] as const) {
      const x = sparseRows(rng, batch, inputs);
      const delta = Tensor.from(Array.from({ length: batch }, () => Array.from({ length: outputs }, () => rng.normal())));
      const run = (limit: number): { z: number[]; dx: number[]; grads: number[][]; scanned: boolean } => {
        const previous = ops.setSmallWork(limit);
        const d = layer(inputs, outputs, 3, true);
        const z = bits(d.forward(x));
        const scanned = ops.scannedRange(x) !== undefined;
        const dx = bits(d.backward(delta));
        ops.setSmallWork(previous);
        return { z, dx, grads: d.parameters().map((p) => bits(p.grad)), scanned };
      };
      const kernels = run(0);
      const byDefault = run(600);
      expect(byDefault.z).toEqual(kernels.z);
      expect(byDefault.dx).toEqual(kernels.dx);
      expect(byDefault.grads).toEqual(kernels.grads);
      expect(kernels.scanned).toBe(true);
      expect(byDefault.scanned).toBe(batch * inputs * outputs >= 600); // only the kernels scan on their way
    }
  });
});
