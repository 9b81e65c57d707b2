import { describe, expect, it, vi } from 'vitest';
import { Adam, DataError, Dense, NonFiniteError, ReLU, SGD, Sequential, Softmax, type Tensor } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

const relu = (): Sequential => new Sequential([new Dense(2, 8, { init: 'he' }), new ReLU(), new Dense(8, 2)], { seed: 1 });

describe('NaN and Infinity during training', () => {
  const { x, y } = blobs(100, 5);

  it('stop training before the update when a layer’s output overflows, naming epoch, batch and layer', () => {
    const m = relu();
    // Weights of 1e30: layer 0's outputs stay finite in float32 (≈ 1e30), layer 2's (≈ 1e60) do not.
    m.setWeights(m.getWeights().map((w) => w.toArray().map((row) => row.map(() => 1e30))));
    const before = m.getWeights();
    let error: unknown;
    try {
      m.fit(x.sliceRows(0, 10).toArray().map((r) => r.map(Math.abs)), y.sliceRows(0, 10), { epochs: 1, batchSize: 5, loss: 'quadratic', optimizer: new SGD({ learningRate: 0.1 }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    const e = error as NonFiniteError;
    expect([e.epoch, e.batch, e.layer]).toEqual([1, 0, 'the output of layer 2 (Dense(8→2))']);
    expect(e.message).toMatch(/at epoch 1, batch 0, first in the output of layer 2 \(Dense\(8→2\)\); the model, its optimizer and its RNG are restored to their state at the start of epoch 1/);
    expect(m.getWeights()).toEqual(before);
  });

  it('stop training with a NonFiniteError; on every path the model, optimizer and RNG are as at the failing epoch’s start', () => {
    const layers: string[] = [];
    for (const rate of [1e18, 1e39, 3e37]) {
      const m = relu();
      const optimizer = new SGD({ learningRate: rate, momentum: 0.5 });
      let start: { weights: Tensor[]; rng: number[]; velocity: unknown } | undefined;
      let error: unknown;
      try {
        m.fit(x, y, {
          epochs: 5, batchSize: 10, loss: 'quadratic', optimizer,
          learningRateSchedule: () => {
            start = { weights: m.getWeights(), rng: m.rng.getState(), velocity: optimizer.getState(m.parameters()).slots };
            return rate;
          },
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NonFiniteError);
      const e = error as NonFiniteError;
      layers.push(e.layer);
      expect(m.getWeights(), `${rate}: ${e.layer}`).toEqual(start?.weights);
      expect(m.rng.getState()).toEqual(start?.rng);
      expect(optimizer.getState(m.parameters()).slots).toEqual(start?.velocity);
    }
    // both paths were taken: a layer's output, and the update itself
    expect(layers.some((l) => l.startsWith('the output of layer'))).toBe(true);
    expect(layers).toContain('the optimizer step');
  });

  it('restores the epoch’s starting weights when a step itself overflows float32', () => {
    const m = relu();
    const start = m.getWeights();
    const error = (() => {
      try {
        m.fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 1e39 }) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).layer).toBe('the optimizer step');
    expect(m.getWeights()).toEqual(start);
  });

  it.each([
    ['SGD with momentum', () => new SGD({ learningRate: 0.1, momentum: 0.9 })],
    ['Adam', () => new Adam({ learningRate: 0.01 })],
  ])('restores the %s state of the epoch’s start too, so training can go on with a smaller rate', (_, make) => {
    // a rate of 1e45 makes the first step itself overflow float32 (the velocity and moments are float64)
    const m = relu();
    const optimizer = make();
    m.fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer });
    const start = optimizer.getState(m.parameters());
    optimizer.learningRate = 1e45;
    expect(() => m.fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer })).toThrow(/batch 0, first in the optimizer step .* its optimizer and its RNG are restored/);
    expect(optimizer.getState(m.parameters())).toEqual({ ...start, config: { ...start.config, learningRate: 1e45 } });
    optimizer.learningRate = 0.01;
    const history = m.fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer });
    expect(Number.isFinite(history.epochs[0]?.loss)).toBe(true);
  });

  it('keeps going when allowNonFinite is set', () => {
    const m = relu();
    const history = m.fit(x, y, { epochs: 3, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 1e18 }), allowNonFinite: true });
    expect(history.epochs).toHaveLength(3);
    expect(Number.isFinite(history.epochs[2]?.loss)).toBe(false);
  });
});

describe('input checks before training', () => {
  const { x, y } = blobs(20, 6);

  it('rejects cross-entropy targets outside [0, 1], naming the row', () => {
    const m = new Sequential([new Dense(2, 2), new Softmax()]);
    const bad = y.clone();
    bad.data[5] = 3; // row 2, column 1
    expect(() => m.fit(x, bad, { epochs: 1, batchSize: 5, loss: 'categorical-cross-entropy', optimizer: 'sgd' })).toThrow(DataError);
    expect(() => m.fit(x, bad, { epochs: 1, batchSize: 5, loss: 'categorical-cross-entropy', optimizer: 'sgd' })).toThrow(/value 3 at row 2, column 1 is outside \[0, 1\]/);
  });

  it('warns when inputs lie far outside the range seen in training (0–255 pixels for a 0–1 model), once per model', () => {
    const m = new Sequential([new Dense(2, 2)]);
    const unit = x.clone();
    for (let i = 0; i < unit.data.length; i++) unit.data[i] = Math.abs(unit.data[i] as number) % 1;
    m.fit(unit, y, { epochs: 1, batchSize: 5, loss: 'quadratic', optimizer: 'sgd' });
    const scaled = unit.clone();
    for (let i = 0; i < scaled.data.length; i++) scaled.data[i] = (scaled.data[i] as number) * 255;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    m.predict(unit);
    expect(warn).toHaveBeenCalledTimes(0);
    m.predict(scaled);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^Sequential\.predict: x has values in .* far outside \[.*\] seen in training; were the inputs scaled the same way/);
    m.evaluate(scaled, y, 'quadratic');
    m.predict(scaled);
    expect(warn).toHaveBeenCalledTimes(1); // once per model
    warn.mockRestore();
    // training on the scaled inputs widens the known range, which is saved
    const warnings: string[] = [];
    m.fit(scaled, y, { epochs: 1, batchSize: 5, loss: 'quadratic', optimizer: 'sgd', onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(0);
    expect(m.inputRange?.[1]).toBeGreaterThan(200);
    expect(Sequential.fromJSON(JSON.stringify(m)).inputRange).toEqual(m.inputRange);
  });
});
