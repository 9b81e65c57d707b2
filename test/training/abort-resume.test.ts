/**
 * Abort, then resume: wherever the abort lands, resuming (live, or from a
 * checkpoint taken before or after the abort) gives the weights of a run that was
 * never stopped, bit for bit; and one model trains one run at a time.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, SGD, Sequential, Sigmoid, Softmax, StateError, createCheckpoint, oneHot, restoreCheckpoint, stepDecay, type FitOptions } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

const { x, labels } = blobs(120, 3);
const y = oneHot(labels, 2);
const build = (): Sequential => new Sequential([new Dense(2, 8), new Sigmoid(), new Dropout(0.2), new Dense(8, 2), new Softmax()], { seed: 6 });
const sgd = (): SGD => new SGD({ learningRate: 0.5, momentum: 0.9 });
const base = { epochs: 6, batchSize: 16, loss: 'categorical-cross-entropy', learningRateSchedule: stepDecay({ initial: 0.5, factor: 0.5, every: 2 }) } as const;

function uninterrupted(): Sequential {
  const m = build();
  m.fit(x, y, { ...base, optimizer: sgd() });
  return m;
}

describe('abort, then resume', () => {
  const reference = uninterrupted();

  it('an abort in onEpochEnd leaves the RNG and learning rate as the epoch left them: resuming live is bit-identical', () => {
    const m = build();
    const optimizer = sgd();
    const controller = new AbortController();
    const h = m.fit(x, y, { ...base, optimizer, signal: controller.signal, onEpochEnd: (r) => { if (r.epoch === 3) controller.abort(); } });
    expect(h.stopReason).toBe('aborted');
    expect(h.epochs).toHaveLength(3);
    expect(optimizer.learningRate).toBe(0.25); // epoch 3's rate, not epoch 4's
    m.fit(x, y, { ...base, optimizer, initialEpoch: 3 });
    expect(m.getWeights()).toEqual(reference.getWeights());
  });

  it('a checkpoint taken after such an abort resumes bit-identically', () => {
    const m = build();
    const optimizer = sgd();
    const controller = new AbortController();
    m.fit(x, y, { ...base, optimizer, signal: controller.signal, onEpochEnd: (r) => { if (r.epoch === 2) controller.abort(); } });
    const restored = restoreCheckpoint(JSON.stringify(createCheckpoint({ model: m, optimizer, epoch: 2 })));
    restored.model.fit(x, y, { ...base, optimizer: restored.optimizer, initialEpoch: restored.epoch });
    expect(restored.model.getWeights()).toEqual(reference.getWeights());
  });

  it('an abort in the middle of an epoch: resuming from the checkpoint of the last completed epoch is bit-identical', () => {
    const m = build();
    const optimizer = sgd();
    const controller = new AbortController();
    let saved = '';
    m.fit(x, y, {
      ...base, optimizer, signal: controller.signal,
      onEpochEnd: (r) => { saved = JSON.stringify(createCheckpoint({ model: m, optimizer, epoch: r.epoch })); },
      onBatchEnd: (b) => { if (b.epoch === 4 && b.batch === 2) controller.abort(); },
    });
    const restored = restoreCheckpoint(saved);
    expect(restored.epoch).toBe(3);
    restored.model.fit(x, y, { ...base, optimizer: restored.optimizer, initialEpoch: restored.epoch });
    expect(restored.model.getWeights()).toEqual(reference.getWeights());
  });

  it('a signal aborted before the call changes nothing: not the weights, not the RNG, not the learning rate', () => {
    const m = build();
    const optimizer = sgd();
    const rng = m.rng.getState();
    const weights = m.getWeights();
    const h = m.fit(x, y, { ...base, optimizer, signal: AbortSignal.abort(), validationSplit: 0.25 });
    expect(h.epochs).toEqual([]);
    expect(m.rng.getState()).toEqual(rng);
    expect(m.getWeights()).toEqual(weights);
    expect(optimizer.learningRate).toBe(0.5); // as constructed
  });
});

describe('one training run per model', () => {
  const options: FitOptions = { epochs: 40, batchSize: 4, loss: 'categorical-cross-entropy', optimizer: 'sgd' };

  it('a fit or a second fitAsync while a fitAsync runs is a StateError, and changes nothing', async () => {
    const m = build();
    const running = m.fitAsync(x, y, options);
    const weights = m.getWeights();
    const rng = m.rng.getState();
    expect(() => m.fit(x, y, options)).toThrow(StateError);
    expect(() => m.fit(x, y, options)).toThrow(/already being trained/);
    await expect(m.fitAsync(x, y, options)).rejects.toThrow(StateError);
    expect(m.getWeights()).toEqual(weights);
    expect(m.rng.getState()).toEqual(rng);
    await running;
    expect(() => m.fit(x, y, { ...options, epochs: 1 })).not.toThrow(); // free again
  });

  it('stress: predict, evaluate and refused fits between the slices of a fitAsync leave its result bit-identical to a run alone', async () => {
    const options: FitOptions = { epochs: 400, batchSize: 4, loss: 'categorical-cross-entropy', optimizer: 'sgd' }; // many 16 ms slices
    const alone = build();
    await alone.fitAsync(x, y, options);
    const m = build();
    let refused = 0;
    let reads = 0;
    let done = false;
    const poke = (): void => {
      if (done) return;
      m.predict(x.sliceRows(0, 7));
      m.evaluate(x, y, 'categorical-cross-entropy');
      reads++;
      try {
        m.fit(x, y, options);
      } catch (e) {
        if (e instanceof StateError) refused++;
        else throw e;
      }
      m.fitAsync(x, y, options).catch((e: unknown) => { if (e instanceof StateError) refused++; });
      setTimeout(poke, 0);
    };
    setTimeout(poke, 0);
    await m.fitAsync(x, y, options);
    done = true;
    expect(reads).toBeGreaterThan(0);
    expect(refused).toBeGreaterThanOrEqual(2 * reads - 1);
    expect(m.getWeights()).toEqual(alone.getWeights());
  });
});
