import { describe, expect, it, vi } from 'vitest';
import { Dense, Rng, SGD, Sequential, Sigmoid, Softmax, Tensor, oneHot, type BatchRecord, type EpochRecord, type Layer } from 'tinydense';
import { blobs } from '../helpers/blobs.js';
import { PACK_MIN_WIDTH } from '../../src/training/batch-source.js';

const model = (): Sequential => new Sequential([new Dense(2, 8), new Sigmoid(), new Dense(8, 2), new Softmax()], { seed: 4 });

describe('Sequential.fit', () => {
  const { x, labels } = blobs(200, 1);
  const y = oneHot(labels, 2);

  it('returns one record per epoch, with loss, seconds and validation figures, and calls onEpochEnd with each', () => {
    const seen: EpochRecord[] = [];
    const history = model().fit(x, y, {
      epochs: 5, batchSize: 10, loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }),
      validationData: [x, y], onEpochEnd: (r) => seen.push(r),
    });
    expect(history.stopReason).toBe('completed');
    expect(history.epochs.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual(history.epochs);
    const last = history.epochs[4] as EpochRecord;
    expect(last.loss).toBeLessThan((history.epochs[0] as EpochRecord).loss);
    expect(last.seconds).toBeGreaterThanOrEqual(0);
    expect(last.valAccuracy).toBeGreaterThan(0.85);
    expect(last.valLoss).toBeGreaterThan(0);
  });

  it('reports each mini-batch, the last one shorter when the batch size does not divide n', () => {
    const batches: BatchRecord[] = [];
    model().fit(x.sliceRows(0, 25), y.sliceRows(0, 25), { epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', onBatchEnd: (b) => batches.push(b) });
    expect(batches.map((b) => [b.epoch, b.batch, b.size])).toEqual([[1, 0, 10], [1, 1, 10], [1, 2, 5], [2, 0, 10], [2, 1, 10], [2, 2, 5]]);
  });

  it("runs full-batch gradient descent with batchSize 'full': one update per epoch", () => {
    const batches: BatchRecord[] = [];
    const history = model().fit(x, y, { epochs: 30, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 1 }), onBatchEnd: (b) => batches.push(b) });
    expect(batches).toHaveLength(30);
    expect(batches.every((b) => b.size === 200)).toBe(true);
    expect((history.epochs[29] as EpochRecord).loss).toBeLessThan((history.epochs[0] as EpochRecord).loss);
  });

  it('makes one full-batch SGD step equal to w − η·(gradient of the mean loss)', () => {
    const m = model();
    const w0 = m.getWeights();
    const grads = m.gradients(x, y, 'categorical-cross-entropy');
    m.fit(x, y, { epochs: 1, batchSize: 'full', loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.3 }) });
    m.getWeights().forEach((w, i) =>
      // float32 arithmetic: w − fround(fround(η)·g), rounded to float32
      w.data.forEach((v, j) => expect(v).toBe(Math.fround((w0[i]?.data[j] as number) - Math.fround(Math.fround(0.3) * (grads[i]?.data[j] as number))))),
    );
  });

  it('feeds mostly-zero float32 inputs to a Dense first layer as packed rows, with the same results as dense batches; narrow inputs stay dense', () => {
    // 80% zeros: the batch source packs the set (if it is at least PACK_MIN_WIDTH wide), and Dense takes each batch as rows of it
    const train = (width: number, packed: boolean, batchSize: number | 'full'): Float32Array[] => {
      const rng = new Rng(5);
      const sparse = Tensor.zeros([120, width]);
      for (let i = 0; i < sparse.data.length; i++) sparse.data[i] = rng.uniform() < 0.8 ? 0 : rng.uniform();
      const targets = oneHot(Uint8Array.from({ length: 120 }, (_, i) => ((sparse.data[i * width] as number) > 0 ? 1 : 0)), 2);
      const dense = new Dense(width, 8);
      // a first layer that is not a Dense gets dense batches
      const first: Layer = packed ? dense : {
        name: 'wrapped', inputWidth: width, outputWidth: (w) => dense.outputWidth(w), initialize: (r, d) => dense.initialize(r, d),
        forward: (x) => dense.forward(x), backward: (g) => dense.backward(g), parameters: () => dense.parameters(),
      };
      const forwardRows = vi.spyOn(dense, 'forwardRows');
      const m = new Sequential([first, new Sigmoid(), new Dense(8, 2), new Softmax()], { seed: 6 });
      m.fit(sparse, targets, { epochs: 3, batchSize, loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }) });
      const rowBatches = forwardRows.mock.calls.length;
      expect(rowBatches).toBe(packed && width >= PACK_MIN_WIDTH ? (batchSize === 'full' ? 3 : 36) : 0);
      return m.getWeights().map((w) => w.data as Float32Array);
    };
    for (const width of [PACK_MIN_WIDTH - 1, PACK_MIN_WIDTH + 16]) {
      for (const batchSize of [10, 'full'] as const) expect(train(width, true, batchSize)).toEqual(train(width, false, batchSize));
    }
  });

  it('trains identically with fitAsync, bit for bit', async () => {
    const options = { epochs: 3, batchSize: 7, loss: 'quadratic', optimizer: new SGD({ learningRate: 1 }) } as const;
    const a = model();
    const b = model();
    a.fit(x, y, options);
    await b.fitAsync(x, y, { ...options, optimizer: new SGD({ learningRate: 1 }) });
    expect(b.getWeights()).toEqual(a.getWeights());
  });

  it('fitAsync yields to the event loop while training', async () => {
    const big = blobs(4000, 2);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await model().fitAsync(big.x, oneHot(big.labels, 2), { epochs: 30, batchSize: 1, loss: 'quadratic', optimizer: 'sgd' });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops before the next batch when the signal aborts, keeping every completed update', () => {
    const controller = new AbortController();
    const m = model();
    const reference = model();
    const history = m.fit(x, y, {
      epochs: 10, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 1 }), signal: controller.signal,
      onBatchEnd: (b) => { if (b.epoch === 2 && b.batch === 3) controller.abort(); },
    });
    expect(history.stopReason).toBe('aborted');
    expect(history.epochs).toHaveLength(1);
    // The same 24 updates (20 in epoch 1, 4 in epoch 2), run without a signal, give the same weights.
    let count = 0;
    const stop = new AbortController();
    reference.fit(x, y, { epochs: 10, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 1 }), signal: stop.signal, onBatchEnd: () => { if (++count === 24) stop.abort(); } });
    expect(m.getWeights()).toEqual(reference.getWeights());
  });

  it('does nothing when the signal is already aborted, and rejects fitAsync’s bad input asynchronously', async () => {
    const m = model();
    const before = m.getWeights();
    const history = m.fit(x, y, { epochs: 3, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', signal: AbortSignal.abort() });
    expect(history).toEqual({ epochs: [], stopReason: 'aborted' });
    expect(m.getWeights()).toEqual(before);
    await expect(m.fitAsync(x, y, { epochs: 1, batchSize: 0, loss: 'quadratic', optimizer: 'sgd' })).rejects.toThrow(/batchSize/);
  });

  it('applies the book’s L2 weight decay with n = the training-set size', () => {
    // With zero gradient (a model whose output already equals y), only decay acts: w ← (1 − ηλ/n) w.
    const m = new Sequential([new Dense(1, 1)], { dtype: 'float64' });
    m.setWeights([[[2]], [[0]]]);
    const xs = Tensor.from([[0], [0], [0], [0]], 'float64');
    m.fit(xs, Tensor.zeros([4, 1], 'float64'), { epochs: 1, batchSize: 'full', loss: 'quadratic', optimizer: new SGD({ learningRate: 0.5, l2: 2 }) });
    expect(m.getWeights()[0]?.get(0, 0)).toBe((1 - (0.5 * 2) / 4) * 2);
  });

  it('validationSplit holds out a seeded random share of the rows (not the last ones), the same in every call, and records them', () => {
    // sorted data: the last 20% would all be class 1
    const order = Array.from({ length: 200 }, (_, i) => i).sort((a, b) => (labels[a] as number) - (labels[b] as number));
    const xs = x.gatherRows(order);
    const ys = y.gatherRows(order);
    const options = { epochs: 2, batchSize: 10, loss: 'categorical-cross-entropy', optimizer: 'sgd', validationSplit: 0.2 } as const;
    const m = model();
    const rngBefore = m.rng.getState();
    const h = m.fit(xs, ys, { ...options, epochs: 0 });
    expect(m.rng.getState()).toEqual(rngBefore); // the split does not move the model's RNG
    const held = h.validationSplit?.validationRows as number[];
    expect(h.validationSplit?.fraction).toBe(0.2);
    expect(held).toHaveLength(40); // ⌈200 · 0.2⌉, as Keras rounds
    expect(held).toEqual([...held].sort((a, b) => a - b));
    const heldLabels = held.map((r) => labels[order[r] as number]);
    expect(heldLabels.filter((l) => l === 1).length).toBeGreaterThan(10);
    expect(heldLabels.filter((l) => l === 0).length).toBeGreaterThan(10);
    expect(m.fit(xs, ys, options).validationSplit?.validationRows).toEqual(held);
    // training on the rest with validationData equal to the held-out rows gives the same bits
    const rest = Array.from({ length: 200 }, (_, i) => i).filter((i) => !held.includes(i));
    const a = model();
    const ha = a.fit(xs, ys, options);
    const b = model();
    const hb = b.fit(xs.gatherRows(rest), ys.gatherRows(rest), { ...options, validationSplit: undefined, validationData: [xs.gatherRows(held), ys.gatherRows(held)] } as never);
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(ha.epochs.map((r) => r.valLoss)).toEqual((hb as typeof ha).epochs.map((r) => r.valLoss));
  });

  it('rejects a validationSplit outside (0, 1), one that empties a side, or one given with validationData', () => {
    const base = { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: 'sgd' } as const;
    for (const split of [0, 1, -0.5, Number.NaN]) expect(() => model().fit(x, y, { ...base, validationSplit: split })).toThrow(/validationSplit must be a number in \(0, 1\)/);
    expect(() => model().fit(x.sliceRows(0, 2), y.sliceRows(0, 2), { ...base, validationSplit: 0.9 })).toThrow(/leaves no training rows/);
    expect(() => model().fit(x, y, { ...base, validationSplit: 0.2, validationData: [x, y] })).toThrow(/not both/);
  });

  it("a named optimizer is the model's own, kept between calls: two 1-epoch fits with 'adam' equal one 2-epoch fit", () => {
    const options = { batchSize: 10, loss: 'categorical-cross-entropy', optimizer: 'adam' } as const;
    const once = model();
    once.fit(x, y, { ...options, epochs: 2 });
    const twice = model();
    twice.fit(x, y, { ...options, epochs: 1 });
    twice.fit(x, y, { ...options, epochs: 1 });
    expect(twice.getWeights()).toEqual(once.getWeights());
    // another model's 'adam' is its own
    const other = model();
    other.fit(x, y, { ...options, epochs: 1 });
    other.fit(x, y, { ...options, epochs: 1 });
    expect(other.getWeights()).toEqual(once.getWeights());
  });
});
