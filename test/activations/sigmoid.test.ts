import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sigmoid, Tensor, type ThreadPool } from 'tinydense';
import { startThreads } from 'tinydense/node';
import * as ops from '../../src/backend/ops.js';
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
    ['float32 batches (the WebAssembly kernel, chunk by chunk)', Float32Array, 65_536],
    ['float64 batches (the TypeScript loop)', Float64Array, 65_536],
  ] as const)('computes %s to the same bits as Sigmoid.f', (_, Data, chunk) => {
    const s = new Sigmoid();
    const round = Data === Float32Array ? Math.fround : (v: number): number => v;
    const special = [0, -0, 1e-30, -1e-9, 20, -88, -104, -700, 745, -746, 3e38, -3e38, Infinity, -Infinity, Number.NaN, 1.4e-45];
    // float32 values whose σ lies so close to a midpoint between two float32s that
    // the kernel's polynomial alone rounds them the other way (found by running
    // all 2^32 without the kernel's fallback to Math.exp)
    special.push(-3.4683074951171875, -3.9563188552856445, -6.262207508087158, -13.429439544677734);
    special.push(3.5762786865234375e-7, 0.0000013113021850585938, -5.960465188081798e-8, -8.940696716308594e-7);
    // near the kernel's limit |z| < 87, where σ(−87) nears the smallest normal float32,
    // and near (j + ½)·ln 2, where its k = round(|z| / ln 2) steps
    for (let i = 0; i < 200; i++) special.push((i % 2 === 0 ? 1 : -1) * 87 * (1 + (Math.random() - 0.5) * 1e-5));
    for (let j = 0; j < 126; j++) special.push((j % 2 === 0 ? 1 : -1) * (j + 0.5) * Math.LN2 * (1 + (Math.random() - 0.5) * 1e-6));
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
      pools = await Promise.all([startThreads(2), startThreads(3), startThreads(4)]);
    });
    afterAll(async () => {
      await Promise.all(pools.map((pool) => pool.close()));
    });

    // float32 arrays of 65,536 values or more are shared. A round gives each of two
    // threads 65,536 values, each of three 32,768 and each of four 21,844 (the
    // shared chunk, split among the workers in multiples of the kernel's four
    // lanes): 300,003 values take three, four and four rounds, the last partial;
    // 131,073 leave a second round of one value to one of two threads; 98,305 leave
    // a second round of one value to one of three, and 98,306 leave the third none;
    // 87,371 give each of four threads 21,843 values, so a worker's last group of
    // four ends exactly at the end of its part. (Parts of 21,845, not a multiple of
    // four, let each worker's last group write into the next one's: caught here.)
    it.each([300_003, 131_073, 98_305, 98_306, 87_371])('gives the same bits as one thread: %i float32 values, with 2, 3 and 4 threads', (length) => {
      const z = new Float32Array(length);
      for (let i = 0; i < length; i++) z[i] = (Math.random() - 0.5) * 2 * 10 ** ((i % 7) - 3);
      const alone = new Sigmoid().forward(new Tensor(z, [1, length])).data;
      for (const pool of pools) {
        const a = ops.withThreads(pool, () => new Sigmoid().forward(new Tensor(z, [1, length])).data);
        for (let i = 0; i < length; i++) {
          if (!Object.is(a[i], alone[i])) expect.fail(`${pool.size} threads, z[${i}] = ${z[i]}: ${a[i]} against ${alone[i]}`);
        }
      }
    });

    it('runs on one thread once the pool is taken back or closed', async () => {
      const z = new Float32Array(70_000).map((_, i) => Math.sin(i) * 8);
      const alone = new Sigmoid().forward(new Tensor(z, [1, z.length])).data;
      const s = new Sigmoid();
      ops.withThreads(pools[0], () => s.forward(new Tensor(z, [1, z.length])));
      expect(s.forward(new Tensor(z, [1, z.length])).data).toEqual(alone);
      const closed = await startThreads(2);
      await closed.close();
      expect(ops.withThreads(closed, () => s.forward(new Tensor(z, [1, z.length])).data)).toEqual(alone);
    });
  });
});
