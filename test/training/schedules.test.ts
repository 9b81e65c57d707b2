import { describe, expect, it } from 'vitest';
import { Dense, OptionError, SGD, Sequential, exponentialDecay, stepDecay } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

describe('learning-rate schedules', () => {
  it('step decay multiplies the rate by factor every `every` epochs', () => {
    const s = stepDecay({ initial: 0.8, factor: 0.5, every: 2 });
    expect([1, 2, 3, 4, 5].map(s)).toEqual([0.8, 0.8, 0.4, 0.4, 0.2]);
  });

  it('exponential decay multiplies the rate by `rate` each epoch', () => {
    const s = exponentialDecay({ initial: 2, rate: 0.5 });
    expect([1, 2, 3].map(s)).toEqual([2, 1, 0.5]);
  });

  it('sets the optimizer’s rate before each epoch and records the rate used in the history', () => {
    const { x, y } = blobs(40, 3);
    const optimizer = new SGD({ learningRate: 99 });
    const history = new Sequential([new Dense(2, 2)]).fit(x, y, {
      epochs: 4, batchSize: 10, loss: 'quadratic', optimizer, learningRateSchedule: (epoch) => 0.1 / epoch,
    });
    expect(history.epochs.map((r) => r.learningRate)).toEqual([0.1, 0.05, 0.1 / 3, 0.025]);
    expect(new Sequential([new Dense(2, 2)]).fit(x, y, { epochs: 1, batchSize: 10, loss: 'quadratic', optimizer: new SGD({ learningRate: 0.3 }) }).epochs[0]?.learningRate).toBe(0.3);
  });

  it('rejects bad schedule options and a schedule that returns a bad rate', () => {
    expect(() => stepDecay({ initial: 1, factor: 0, every: 1 })).toThrow(OptionError);
    expect(() => exponentialDecay({ initial: -1, rate: 0.5 })).toThrow(/initial is out of range/);
    const { x, y } = blobs(20, 3);
    expect(() => new Sequential([new Dense(2, 2)]).fit(x, y, { epochs: 2, batchSize: 10, loss: 'quadratic', optimizer: 'sgd', learningRateSchedule: () => NaN })).toThrow(
      /learning rate must be a finite number ≥ 0, got NaN/,
    );
  });
});
