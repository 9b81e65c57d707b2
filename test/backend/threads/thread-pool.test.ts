import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dense, OptionError, ReLU, Rng, SGD, Sequential, Sigmoid, Softmax, Tensor, ThreadPool, TinyDenseError, oneHot } from 'tinydense';
import { startThreads } from 'tinydense/node';
import * as ops from '../../../src/backend/ops.js';
import type { ThreadSection } from '../../../src/backend/threads/thread-pool.js';
import { DenseKernels } from '../../../src/backend/wasm/dense-kernels.js';
import { KernelMemory, f32, type F32Ptr, type I32Ptr } from '../../../src/backend/wasm/module.js';

/** Rows with about `zeros` of their values exactly 0, like MNIST (81%). */
function rows(rng: Rng, n: number, cols: number, zeros: number): Tensor {
  const x = Tensor.zeros([n, cols]);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform() < zeros ? 0 : rng.uniform();
  return x;
}

function labels(rng: Rng, n: number, classes: number): Tensor {
  return oneHot(Array.from({ length: n }, () => Math.floor(rng.uniform() * classes)), classes);
}

const bits = (t: Tensor): number[] => Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length));
const weightBits = (m: Sequential): number[][] => m.getWeights().map(bits);

/** A ReLU → softmax network `inputs → hidden → 10` (hidden 64: two blocks of 32 outputs; 70: three, unevenly shared). */
const network = (inputs: number, hidden: number): Sequential =>
  new Sequential([new Dense(inputs, hidden, { init: 'he' }), new ReLU(), new Dense(hidden, 10, { init: 'he' }), new Softmax()], { seed: 3 });

let two: ThreadPool;
let three: ThreadPool;
beforeAll(async () => {
  [two, three] = await Promise.all([startThreads(2), startThreads(3)]);
});
afterAll(async () => {
  await Promise.all([two.close(), three.close()]);
});

describe('ThreadPool', () => {
  it('starts workers in Node (the rest of this file compares threaded and single-thread runs)', () => {
    expect(two.size).toBe(2);
    expect(three.size).toBe(3);
    expect(two.open).toBe(true);
    // memory can be shared here, which the workers need
    expect(KernelMemory.create(16, 1, true)?.shared).toBe(true);
  });

  // 300 inputs: chunks of 218 rows on one thread, of 1,744 shared. 600 rows: three
  // chunks alone, one shared; 4,000 rows: three shared chunks, the last one partial.
  it.each([
    ['sparse inputs (81% zeros: the pairs gathered from SparseRows), one shared chunk', 0.81, 64, 600],
    ['sparse inputs, three shared chunks', 0.81, 64, 4000],
    ['dense inputs (20% zeros: each chunk scanned for its non-zeros), one shared chunk', 0.2, 64, 600],
    ['dense inputs, three shared chunks (each thread scans its own rows)', 0.2, 64, 4000],
    ['three blocks of outputs shared unevenly, three shared chunks', 0.81, 70, 4000],
    ['one block of outputs (the weight gradient stays on one thread), three shared chunks', 0.81, 30, 4000],
  ])('full-batch fit gives the same weights, bit for bit, with 1, 2 and 3 threads: %s', (_, zeros, hidden, n) => {
    const rng = new Rng(11);
    const x = rows(rng, n, 300, zeros);
    const y = labels(rng, n, 10);
    const fit = (threads?: ThreadPool): number[][] => {
      const model = network(300, hidden);
      model.fit(x, y, { epochs: 3, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }), ...(threads ? { threads } : {}) });
      return weightBits(model);
    };
    const alone = fit();
    expect(fit(two)).toEqual(alone);
    expect(fit(three)).toEqual(alone);
  });

  it.each([64, 30])('fitAsync, mini-batches of 200 and 128 (one chunk, threaded; the last, shorter ones not) and of 10 (not) give the same weights as without threads: hidden %i', async (hidden) => {
    const rng = new Rng(12);
    const x = rows(rng, 500, 200, 0.81);
    const y = labels(rng, 500, 10);
    for (const batchSize of [200, 128, 10]) {
      const options = { epochs: 2, batchSize, loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }) } as const;
      const alone = network(200, hidden);
      alone.fit(x, y, options);
      const threaded = network(200, hidden);
      await threaded.fitAsync(x, y, { ...options, optimizer: new SGD({ learningRate: 0.5 }), threads: two });
      expect(weightBits(threaded)).toEqual(weightBits(alone));
    }
  });

  it('predict and evaluate give the same bits with threads', () => {
    const rng = new Rng(13);
    const model = new Sequential([new Dense(400, 30, { init: 'nielsen-large' }), new Sigmoid(), new Dense(30, 10), new Sigmoid()], { seed: 4 });
    // 400 inputs: shared chunks of 1,304 rows, the last of 3,000 partial
    const x = rows(rng, 3000, 400, 0.81);
    const y = labels(rng, 3000, 10);
    const alone = model.predict(x);
    expect(bits(model.predict(x, { threads: two }))).toEqual(bits(alone));
    expect(bits(model.predict(x, { threads: three }))).toEqual(bits(alone));
    expect(model.evaluate(x, y, 'quadratic', { threads: two })).toEqual(model.evaluate(x, y, 'quadratic'));
  });

  it("predict gives the same bits whatever share of each chunk of dense rows this thread takes (it adapts to the threads' speeds, from none to all)", () => {
    const rng = new Rng(15);
    const model = new Sequential([new Dense(400, 30, { init: 'nielsen-large' }), new Sigmoid()], { seed: 4 });
    const x = rows(rng, 3000, 400, 0.81);
    const alone = bits(model.predict(x));
    const kernels = (model.layers[0] as unknown as { store: { kernels: { ownShare: number } } }).store.kernels;
    for (const [pool, share] of [[two, 0], [two, 0.3], [two, 1], [two, 2], [three, 0], [three, 3]] as const) {
      kernels.ownShare = share; // as a fraction of an even share: 2 of 2 threads (3 of 3) is every row
      expect(bits(model.predict(x, { threads: pool })), `${pool.size} threads, share ${share}`).toEqual(alone);
      expect(kernels.ownShare).toBeLessThanOrEqual(pool.size);
    }
  });

  it("predict's input check sees every thread's rows (each lists its own non-zero inputs and their range)", () => {
    const rng = new Rng(14);
    const model = new Sequential([new Dense(400, 30), new Sigmoid()], { seed: 4 });
    const x = rows(rng, 3000, 400, 0.81);
    const y = labels(rng, 3000, 30);
    const first = model.layers[0] as Dense;
    const scan = (pool: ThreadPool): readonly [number, number] | undefined => {
      ops.withThreads(pool, () => first.forward(x));
      return ops.scannedRange(x);
    };
    const top = Array.from(x.data).reduce((a, b) => Math.max(a, b));
    expect(scan(three)).toEqual([0, top]);
    // shared chunks of 1,304 rows, a third each: the last chunk's third thread, then
    // a row in the middle of the first chunk's second
    for (const [row, col, value] of [[2999, 399, Number.NaN], [650, 7, -Infinity]] as const) {
      const bad = x.clone();
      bad.data[row * 400 + col] = value;
      expect(() => model.predict(bad, { threads: three })).toThrow(`Sequential.predict: x has ${value} at row ${row}, column ${col}`);
      expect(() => model.evaluate(bad, y, 'quadratic', { threads: three })).toThrow(`Sequential.evaluate: x has ${value} at row ${row}, column ${col}`);
      expect(() => model.evaluate(bad, y, 'quadratic')).toThrow(`Sequential.evaluate: x has ${value} at row ${row}, column ${col}`);
    }
    x.data[500 * 400 + 3] = -2;
    expect(scan(two)).toEqual([-2, top]);
  });

  it('a plain memory cannot be shared: begin gives no section for it', () => {
    expect(two.begin(KernelMemory.create(16, 1) as KernelMemory)).toBeUndefined();
  });

  it('the operations hold the pool only during the call', () => {
    const rng = new Rng(14);
    const model = network(100, 64);
    const x = rows(rng, 300, 100, 0.5);
    const begin = vi.spyOn(two, 'begin');
    model.predict(x, { threads: two });
    const during = begin.mock.calls.length;
    model.predict(x);
    const after = begin.mock.calls.length;
    begin.mockRestore();
    expect(during).toBeGreaterThan(0);
    expect(after).toBe(during);
  });

  it('rejects a bad size, a bad threads option, and bad options objects with OptionError', async () => {
    for (const size of [0, 1.5, 257, Number.NaN]) await expect(startThreads(size)).rejects.toThrow(OptionError);
    await expect(startThreads(0)).rejects.toThrow('size must be an integer from 1 to 256');
    const model = network(4, 64);
    const x = [[0, 1, 2, 3]];
    expect(() => model.predict(x, { threads: 2 as unknown as ThreadPool })).toThrow(OptionError);
    expect(() => model.predict(x, { threads: 2 as unknown as ThreadPool })).toThrow('Sequential.predict: threads must be a ThreadPool');
    expect(() => model.predict(x, null as unknown as object)).toThrow('Sequential.predict: options must be an object, got null');
    expect(() => model.evaluate(x, [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], 'quadratic', { threads: {} as ThreadPool })).toThrow(OptionError);
    expect(() =>
      model.fit(x, [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer: 'sgd', threads: 'two' as unknown as ThreadPool }),
    ).toThrow('Sequential.fit: threads must be a ThreadPool');
  });

  it('a pool of size 1 and a closed pool run everything on the calling thread, with the same results', async () => {
    const one = await startThreads(1);
    const closed = await startThreads(2);
    await closed.close();
    expect(closed.open).toBe(false);
    const rng = new Rng(15);
    const x = rows(rng, 300, 100, 0.81);
    const model = network(100, 64);
    const alone = bits(model.predict(x));
    expect(bits(model.predict(x, { threads: one }))).toEqual(alone);
    expect(bits(model.predict(x, { threads: closed }))).toEqual(alone);
  });

  it('ending a section right after starting a command (as when this thread throws between start and finish) leaves the pool open and in step', async () => {
    const pool = await startThreads(2);
    const memory = KernelMemory.create(1024, 1, true) as KernelMemory;
    const values = memory.floats(64);
    // A worker that has seen a command's number but not yet read its kernel could
    // read end's -1 instead and leave without answering for the command: end then
    // waited 10 s and broke the pool (after 1,724 to 4,847 rounds in four runs before the fix).
    for (let round = 0; round < 20_000; round++) {
      const section = pool.begin(memory) as ThreadSection;
      section.run('sigmoid32', [{ x: f32(values), length: 4 }, { x: f32(values, 4), length: 4 }]); // the worker is now waiting for commands
      section.start('sigmoid32', [{ x: f32(values, 4), length: 4 }]);
      section.end();
    }
    expect(pool.open).toBe(true);
    values.set([0, 1, -1, 2]);
    const section = pool.begin(memory) as ThreadSection;
    section.run('sigmoid32', [{ x: f32(values, 8), length: 4 }, { x: f32(values), length: 4 }]);
    section.end();
    expect(Array.from(values.subarray(0, 4))).toEqual([0, 1, -1, 2].map((z) => Math.fround(new Sigmoid().f(z))));
    await pool.close();
  });

  it('an error on this thread during a threaded predict reaches the caller, and the pool goes on giving the same bits', () => {
    const rng = new Rng(16);
    const model = new Sequential([new Dense(400, 30, { init: 'nielsen-large' }), new Sigmoid()], { seed: 4 });
    const x = rows(rng, 3000, 400, 0.81);
    const alone = bits(model.predict(x));
    const home = vi.spyOn(DenseKernels.prototype as unknown as { forwardHome(): void }, 'forwardHome').mockImplementationOnce(() => {
      throw new RangeError('out of memory (simulated)');
    });
    expect(() => model.predict(x, { threads: two })).toThrow('out of memory (simulated)');
    home.mockRestore();
    expect(two.open).toBe(true);
    expect(bits(model.predict(x, { threads: two }))).toEqual(alone);
  });

  it('a kernel that fails in a worker throws a TinyDenseError and closes the pool; the next call runs on one thread', async () => {
    const pool = await startThreads(2);
    const memory = KernelMemory.create(1024, 1, true) as KernelMemory;
    const section = pool.begin(memory);
    expect(section).toBeDefined();
    // the worker's share reads far past the end of the memory: a WebAssembly trap
    const at = (byte: number): F32Ptr & I32Ptr => byte as F32Ptr & I32Ptr;
    const call = (rowStart: number, rows: number) => ({ pairs: at(0), rowStart: at(rowStart), rows, outputs: 1, w: at(0), b: at(0), z: at(0) });
    expect(() => section?.run('denseForward', [call(0, 0), call(2 ** 30, 1)])).toThrow(TinyDenseError);
    expect(pool.open).toBe(false);
    expect(pool.begin(memory)).toBeUndefined();
  });

  it('a worker that exits during a command is noticed at once: a typed error, the model at its last completed update, and later calls on one thread', async () => {
    const { Worker } = await import('node:worker_threads');
    // A worker whose exp (the sigmoid kernel's import) exits the thread: it dies mid-command.
    const endpoint =
      "{ onMessage: (f) => require('node:worker_threads').parentPort.on('message', (m) => { if (m && m.memory) Math.exp = () => process.exit(9); f(m); })," +
      " postMessage: (m) => require('node:worker_threads').parentPort.postMessage(m), onExit: (f) => process.on('exit', f) }";
    const pool = await ThreadPool.start(
      2,
      (source) => {
        const worker = new Worker(source, { eval: true });
        return {
          postMessage: (d) => worker.postMessage(d),
          onMessage: (f) => worker.on('message', f),
          onError: (f) => {
            worker.on('error', f);
            worker.on('exit', (code) => f(new Error(`exit ${code}`)));
          },
          terminate: () => void worker.terminate(),
        };
      },
      endpoint,
    );
    const rng = new Rng(5);
    const x = rows(rng, 4096, 32, 0);
    const y = labels(rng, 4096, 10);
    const model = new Sequential([new Dense(32, 32), new Sigmoid(), new Dense(32, 10), new Softmax()], { seed: 1 });
    const before = weightBits(model);
    const started = performance.now();
    // full batch: 4096 × 32 sigmoid values, shared with the worker, whose share calls exp
    expect(() => model.fit(x, y, { epochs: 1, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: 'sgd', threads: pool })).toThrow(/worker 1 exited during a command; the pool is closed/);
    expect(performance.now() - started).toBeLessThan(5000); // not the 10 s silence timeout
    expect(weightBits(model)).toEqual(before); // the failed batch changed nothing
    expect(pool.open).toBe(false);
    const alone = new Sequential([new Dense(32, 32), new Sigmoid(), new Dense(32, 10), new Softmax()], { seed: 1 });
    alone.fit(x, y, { epochs: 1, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: 'sgd' });
    model.fit(x, y, { epochs: 1, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: 'sgd', threads: pool });
    expect(weightBits(model)).toEqual(weightBits(alone));
  });
});
