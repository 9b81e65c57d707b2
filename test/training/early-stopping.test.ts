import { describe, expect, it } from 'vitest';
import { Dense, OptionError, SGD, Sequential, Sigmoid, Softmax, type Tensor } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

const model = (): Sequential => new Sequential([new Dense(2, 8), new Sigmoid(), new Dense(8, 2), new Softmax()], { seed: 4 });
const { x, y } = blobs(200, 1);
const val = blobs(100, 2);

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement and reports the best epoch', () => {
    // A learning rate of 0 changes nothing; only the summation order (the shuffle) moves the
    // mean loss, by rounding, which minDelta ignores.
    const history = model().fit(x, y, {
      epochs: 50, batchSize: 20, loss: 'quadratic', optimizer: new SGD({ learningRate: 0 }), earlyStopping: { monitor: 'loss', patience: 2, minDelta: 1e-9 },
    });
    expect(history.stopReason).toBe('early-stopping');
    expect(history.epochs).toHaveLength(3);
    expect(history.bestEpoch).toBe(1);
  });

  it('with restoreBest, ends with the weights of the best validation epoch', () => {
    const m = model();
    const weightsAt = new Map<number, Tensor[]>();
    // Three good epochs, then a learning rate so large that accuracy collapses.
    const history = m.fit(x, y, {
      epochs: 30, batchSize: 10, loss: 'categorical-cross-entropy', optimizer: new SGD({ learningRate: 0.5 }),
      validationData: [val.x, val.y],
      learningRateSchedule: (epoch) => (epoch <= 3 ? 0.5 : 400),
      earlyStopping: { monitor: 'valAccuracy', patience: 3, restoreBest: true },
      onEpochEnd: (r) => weightsAt.set(r.epoch, m.getWeights()),
    });
    expect(history.stopReason).toBe('early-stopping');
    const best = history.bestEpoch as number;
    const bestAccuracy = Math.max(...history.epochs.map((r) => r.valAccuracy as number));
    expect(history.epochs[best - 1]?.valAccuracy).toBe(bestAccuracy);
    expect(history.epochs.length).toBe(best + 3);
    expect(m.getWeights()).toEqual(weightsAt.get(best));
    expect(m.evaluate(val.x, val.y, 'quadratic').accuracy).toBe(bestAccuracy);
  });

  it('honours minDelta: smaller changes do not count as improvement', () => {
    const history = model().fit(x, y, {
      epochs: 40, batchSize: 20, loss: 'quadratic', optimizer: new SGD({ learningRate: 0.01 }), earlyStopping: { monitor: 'loss', patience: 1, minDelta: 1 },
    });
    expect(history.epochs).toHaveLength(2);
  });

  it('rejects bad options before training, leaving the model unchanged', () => {
    const m = model();
    const before = m.getWeights();
    expect(() => m.fit(x, y, { epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', earlyStopping: { monitor: 'valLoss', patience: 2 } })).toThrow(/needs validationData/);
    expect(() => m.fit(x, y, { epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', earlyStopping: { monitor: 'loss', patience: 0 } })).toThrow(OptionError);
    // @ts-expect-error: an unknown monitor
    expect(() => m.fit(x, y, { epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', earlyStopping: { monitor: 'accuracy', patience: 1 } })).toThrow(/monitor must be/);
    expect(m.getWeights()).toEqual(before);
  });
});
