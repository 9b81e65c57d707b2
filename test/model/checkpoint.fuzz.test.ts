import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Adam, Dense, Dropout, NonFiniteError, Normalization, ReLU, SGD, Sequential, Softmax, Tensor, createCheckpoint, restoreCheckpoint, type Optimizer } from 'tinydense';
import { FUZZ_RUNS, jsonPaths, mutateJson, oddJsonValue, typedErrorOr, type Json } from '../helpers/fuzz.js';

/** Two valid checkpoints (Adam; SGD with momentum), each after a few steps so every slot is filled. */
function checkpoint(optimizer: Optimizer): Json {
  const x = [[0.5, -1], [2, 0.25], [-0.3, 0.8]];
  const model = new Sequential([new Normalization().adapt(x), new Dense(2, 3), new ReLU(), new Dropout(0.1), new Dense(3, 2), new Softmax()], { seed: 2 });
  model.fit(x, [[1, 0], [0, 1], [1, 0]], { epochs: 2, batchSize: 2, loss: 'categorical-cross-entropy', optimizer });
  return JSON.parse(JSON.stringify(createCheckpoint({ model, optimizer, epoch: 2 }))) as Json;
}
const valids = [checkpoint(new Adam({ learningRate: 0.01 })), checkpoint(new SGD({ learningRate: 0.1, momentum: 0.9 }))];
const mutations = valids.map((valid) => fc.tuple(fc.constantFrom(...jsonPaths(valid)), oddJsonValue).map(([p, v]) => mutateJson(valid, p, v)));

describe('restoreCheckpoint fuzzing', () => {
  it(`restores a checkpoint that trains on (or stops cleanly), or throws a typed error, for ${FUZZ_RUNS} mutated and random documents`, () => {
    let ok = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 4, arbitrary: fc.oneof(...mutations) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> }),
        fc.boolean(),
        (doc, asText) => {
          const restored = typedErrorOr(
            () => restoreCheckpoint(asText ? JSON.stringify(doc) : doc),
            ({ model, optimizer, epoch }) => {
              expect(Number.isSafeInteger(epoch) && epoch >= 0).toBe(true);
              const x = Tensor.zeros([2, model.inputWidth]);
              const y = Tensor.zeros([2, model.outputWidth]);
              y.data[0] = 1;
              y.data[model.outputWidth] = 1;
              // one more epoch: it trains on, or (finite but absurd values such as a moment of 1e300)
              // stops with a NonFiniteError that leaves the restored state as it was
              const before = model.getWeights();
              try {
                const history = model.fit(x, y, { epochs: epoch + 1, initialEpoch: epoch, batchSize: 2, loss: 'quadratic', optimizer, onWarning: () => undefined });
                expect(history.epochs.every((r) => Number.isFinite(r.loss))).toBe(true);
              } catch (e) {
                expect(e).toBeInstanceOf(NonFiniteError);
                expect(model.getWeights()).toEqual(before);
              }
            },
          );
          if (restored) ok++;
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`restoreCheckpoint fuzz: ${FUZZ_RUNS} documents, ${ok} restored, ${FUZZ_RUNS - ok} typed errors`);
  }, 180_000);

  it('rejects crafted optimizer states: a negative second moment, m without v, moments at step 0, an epoch beyond 2^53', () => {
    const adam = valids[0] as any;
    const bad: [string, (c: any) => void, RegExp][] = [
      ['v < 0', (c) => (c.optimizer.slots.v[1][0] = -1), /slots\.v\[1\] must be \d+ finite numbers ≥ 0/],
      ['m without v', (c) => (c.optimizer.slots.v[1] = []), /slots\.m\[1\] and slots\.v\[1\] must both be saved or both be empty/],
      ['moments at step 0', (c) => (c.optimizer.stepCount = 0), /moments are saved but stepCount is 0/],
      ['epoch 1e300', (c) => (c.epoch = 1e300), /epoch must be an integer from 0 to 2\^53 − 1/],
    ];
    for (const [name, change, message] of bad) {
      const copy = JSON.parse(JSON.stringify(adam));
      change(copy);
      expect(() => restoreCheckpoint(copy), name).toThrow(message);
    }
  });
});
