import { describe, expect, it } from 'vitest';
import { Adam, Dense, Dropout, ELU, FormatError, LeakyReLU, Normalization, ReLU, SGD, Sequential, Sigmoid, Softmax, Tanh, createCheckpoint, restoreCheckpoint, stepDecay, type Optimizer } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

const optimizers: [string, () => Optimizer][] = [
  ['SGD with momentum', () => new SGD({ learningRate: 0.3, momentum: 0.9 })],
  ['Adam', () => new Adam({ learningRate: 0.01 })],
];

describe('checkpoints', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, make] of optimizers) {
      it(`resume to weights bit-identical to an uninterrupted run (${name}, ${dtype})`, () => {
        const { x, y } = blobs(120, 9, dtype);
        const build = (): Sequential => new Sequential([new Dense(2, 6), new Sigmoid(), new Dense(6, 2), new Softmax()], { seed: 11, dtype });
        const options = { epochs: 6, batchSize: 7, loss: 'categorical-cross-entropy', learningRateSchedule: stepDecay({ initial: 0.3, factor: 0.5, every: 2 }) } as const;
        // Adam ignores the schedule's scale but still takes its rate; both paths are exercised.
        const uninterrupted = build();
        uninterrupted.fit(x, y, { ...options, optimizer: make() });

        const first = build();
        const optimizer = make();
        first.fit(x, y, { ...options, epochs: 3, optimizer });
        const saved = JSON.stringify(createCheckpoint({ model: first, optimizer, epoch: 3 }));
        const resumed = restoreCheckpoint(saved);
        expect(resumed.epoch).toBe(3);
        const history = resumed.model.fit(x, y, { ...options, initialEpoch: resumed.epoch, optimizer: resumed.optimizer });
        expect(history.epochs.map((r) => r.epoch)).toEqual([4, 5, 6]);

        const a = uninterrupted.getWeights();
        const b = resumed.model.getWeights();
        expect(b.every((w, i) => w.data.every((v, j) => Object.is(v, a[i]?.data[j])))).toBe(true);
      });
    }
  }

  it('resume bit-identically with every layer kind (Normalization, LeakyReLU, Dropout, ELU, Tanh, ReLU, Softmax)', () => {
    const { x, y } = blobs(100, 4, 'float32');
    const build = (): Sequential =>
      new Sequential(
        [new Normalization().adapt(x), new Dense(2, 8), new LeakyReLU(), new Dropout(0.3), new Dense(8, 6), new ELU(), new Dense(6, 4), new Tanh(), new Dense(4, 4), new ReLU(), new Dense(4, 2), new Softmax()],
        { seed: 2 },
      );
    const options = { epochs: 4, batchSize: 8, loss: 'categorical-cross-entropy' } as const;
    const uninterrupted = build();
    uninterrupted.fit(x, y, { ...options, optimizer: new Adam({ learningRate: 0.01 }) });
    const first = build();
    const optimizer = new Adam({ learningRate: 0.01 });
    first.fit(x, y, { ...options, epochs: 2, optimizer });
    const resumed = restoreCheckpoint(JSON.stringify(createCheckpoint({ model: first, optimizer, epoch: 2 })));
    expect(resumed.model.layers.map((l) => l.name)).toEqual(first.layers.map((l) => l.name));
    resumed.model.fit(x, y, { ...options, initialEpoch: 2, optimizer: resumed.optimizer });
    expect(resumed.model.getWeights()).toEqual(uninterrupted.getWeights());
  });

  it('holds the model, the optimizer state, the RNG state and the epoch, versioned', () => {
    const model = new Sequential([new Dense(2, 2)], { seed: 3 });
    const optimizer = new Adam();
    model.fit([[1, 2]], [[0, 1]], { epochs: 2, batchSize: 1, loss: 'quadratic', optimizer });
    const c = createCheckpoint({ model, optimizer, epoch: 2 });
    expect(c).toMatchObject({ format: 'tinydense-checkpoint', version: 1, epoch: 2, rng: model.rng.getState() });
    expect(c.optimizer).toMatchObject({ kind: 'adam', stepCount: 2 });
    expect(c.optimizer.slots.m).toHaveLength(2);
  });

  const good = (): Record<string, any> => {
    const model = new Sequential([new Dense(2, 2)]);
    const optimizer = new SGD({ learningRate: 0.1, momentum: 0.5 });
    model.fit([[1, 2]], [[0, 1]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer });
    return JSON.parse(JSON.stringify(createCheckpoint({ model, optimizer, epoch: 1 })));
  };
  const bad: [string, (c: Record<string, any>) => unknown, RegExp][] = [
    ['a newer version', (c) => ({ ...c, version: 2 }), /version 2 is newer than this tinydense reads \(1\)/],
    ['another format', (c) => ({ ...c, format: 'tinydense-model' }), /format must be "tinydense-checkpoint"/],
    ['a corrupted model', (c) => ({ ...c, model: { ...c.model, layers: [{ kind: 'dense', config: { inputs: 2, outputs: 2, init: 'he' }, weights: { weights: [1], biases: [0, 0] } }] } }), /model: Sequential\.fromJSON: layers\[0\]\.weights\.weights must be 4 numbers/],
    ['a velocity of the wrong size', (c) => ({ ...c, optimizer: { ...c.optimizer, slots: { velocity: [[1, 2], []] } } }), /optimizer: SGD\.setState: slots\.velocity\[0\] must be 4 finite numbers/],
    ['an unknown optimizer', (c) => ({ ...c, optimizer: { ...c.optimizer, kind: 'rmsprop' } }), /optimizer: kind "rmsprop" is not an optimizer/],
    ['a bad RNG state', (c) => ({ ...c, rng: [0, 0, 0, 0] }), /rng must be four 32-bit unsigned integers/],
    ['truncated JSON', (c) => JSON.stringify(c).slice(0, 100), /not valid JSON/],
  ];
  for (const [name, mutate, message] of bad) {
    it(`rejects ${name} with a FormatError`, () => {
      const json = mutate(good());
      expect(() => restoreCheckpoint(json)).toThrow(FormatError);
      expect(() => restoreCheckpoint(json)).toThrow(message);
    });
  }
});
