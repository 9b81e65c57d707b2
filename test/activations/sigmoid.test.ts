import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sigmoid, Tensor, type ThreadPool } from 'tinydense';
import { startThreads } from 'tinydense/node';
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

  it.each([
    ['float32', Float32Array, 65_536],
    ['float64', Float64Array, 32_768],
  ] as const)('computes %s batches (the WebAssembly kernel, chunk by chunk) to the same bits as Sigmoid.f', (dtype, Data, chunk) => {
    const s = new Sigmoid();
    const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
    const special = [0, -0, 1e-30, -1e-9, 0.3466, -1.0398, 20, -88, -104, -700, -720, 745, -746, 3e38, -3e38, Infinity, -Infinity, Number.NaN, 1.4e-45];
    // and values within a millionth of the ends of fdlibm's ranges (2^−28, 0.5 ln 2, 1.5 ln 2, 2^−1021, underflow)
    for (const end of [3.725290298461914e-9, 0.3465735912322998, 1.0397205352783203, 708.05, 745.1332191019411]) {
      for (let i = 0; i < 400; i++) special.push((i % 2 === 0 ? 1 : -1) * end * (1 + (Math.random() - 0.5) * 4e-6));
    }
    // lengths under the kernel's minimum (4,096), at it, not a multiple of its lanes, and over one chunk
    for (const length of [5, 4095, 4096, 4099, chunk + 3]) {
      const z = new Data(length);
      for (let i = 0; i < length; i++) z[i] = i < special.length && length > 5 ? (special[i] as number) : (Math.random() - 0.5) * 2 * 10 ** ((i % 10) - 5);
      const a = s.forward(new Tensor(z, [1, length])).data;
      for (let i = 0; i < length; i++) {
        const want = round(s.f(z[i] as number));
        if (!Object.is(a[i], want)) expect.fail(`length ${length}, z[${i}] = ${z[i]}: ${a[i]} against ${want}`);
      }
    }
  });

  it('computes random float32 and float64 values, whole range, to the same bits as Sigmoid.f', () => {
    const s = new Sigmoid();
    fc.assert(
      fc.property(fc.array(fc.float(), { minLength: 4096, maxLength: 4103 }), (values) => {
        const a = s.forward(Tensor.from([values], 'float32')).data;
        return values.every((v, i) => Object.is(a[i], Math.fround(s.f(Math.fround(v)))));
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 4096, maxLength: 4103 }), (values) => {
        const a = s.forward(Tensor.from([values], 'float64')).data;
        return values.every((v, i) => Object.is(a[i], s.f(v)));
      }),
      { numRuns: 40 },
    );
  });

  describe('with threads', () => {
    let pools: ThreadPool[] = [];
    beforeAll(async () => {
      pools = await Promise.all([startThreads(2), startThreads(3)]);
    });
    afterAll(async () => {
      await Promise.all(pools.map((pool) => pool.close()));
    });

    // 65,536 values or more are shared. A round is 32,768 values a thread, so 200,003
    // float32 values take four rounds, the last one partial; with three threads, 65,537
    // values leave the third thread one value and 65,538 leave it none.
    it.each([
      ['float32', Float32Array, 200_003],
      ['float32', Float32Array, 65_537],
      ['float32', Float32Array, 65_538],
      ['float64', Float64Array, 100_001],
    ] as const)('gives the same bits as one thread: %s, %i values, with 2 and 3 threads', (dtype, Data, length) => {
      const z = new Data(length);
      for (let i = 0; i < length; i++) z[i] = (Math.random() - 0.5) * 2 * 10 ** ((i % 7) - 3);
      const alone = new Sigmoid().forward(new Tensor(z, [1, length])).data;
      for (const pool of pools) {
        const s = new Sigmoid();
        s.useThreads(pool);
        const a = s.forward(new Tensor(z, [1, length])).data;
        for (let i = 0; i < length; i++) {
          if (!Object.is(a[i], alone[i])) expect.fail(`${dtype}, ${pool.size} threads, z[${i}] = ${z[i]}: ${a[i]} against ${alone[i]}`);
        }
      }
    });

    it('runs on one thread once the pool is taken back or closed', async () => {
      const z = new Float32Array(70_000).map((_, i) => Math.sin(i) * 8);
      const alone = new Sigmoid().forward(new Tensor(z, [1, z.length])).data;
      const s = new Sigmoid();
      s.useThreads(pools[0]);
      s.useThreads(undefined);
      expect(s.forward(new Tensor(z, [1, z.length])).data).toEqual(alone);
      const closed = await startThreads(2);
      await closed.close();
      s.useThreads(closed);
      expect(s.forward(new Tensor(z, [1, z.length])).data).toEqual(alone);
    });
  });
});
