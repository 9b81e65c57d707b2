import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, NonFiniteError, SGD, Sequential, Sigmoid, StateError, Tanh, Tensor, oneHot } from 'tinydense';
import { blobs } from '../helpers/blobs.js';

const root = join(import.meta.dirname, '..', '..');
const build = (): Sequential => new Sequential([new Dense(2, 8), new Tanh(), new Dropout(0.25), new Dense(8, 2), new Sigmoid()], { seed: 5 });

describe('Sequential.trainOnBatch', () => {
  const { x, labels } = blobs(12, 7);
  const y = oneHot(labels, 2);

  it('is one step of fit on the same batch, bit for bit, and returns the loss before the update', () => {
    const a = build();
    const optimizerA = new SGD({ learningRate: 0.5, momentum: 0.9 });
    const losses = Array.from({ length: 5 }, () => a.trainOnBatch(x, y, { loss: 'cross-entropy', optimizer: optimizerA }));
    const b = build();
    const history = b.fit(x, y, { epochs: 5, batchSize: 'full', shuffle: false, loss: 'cross-entropy', optimizer: new SGD({ learningRate: 0.5, momentum: 0.9 }), verbose: 0 });
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(losses).toEqual(history.epochs.map((r) => r.loss));
    expect(a.rng.getState()).toEqual(b.rng.getState()); // the same dropout draws
  });

  it('keeps a named optimizer between calls, and widens the known input range', () => {
    const m = build();
    m.trainOnBatch([[0, 1]], [[1, 0]], { loss: 'quadratic', optimizer: 'adam' });
    m.trainOnBatch([[5, -3]], [[0, 1]], { loss: 'quadratic', optimizer: 'adam' });
    expect(m.inputRange).toEqual([-3, 5]);
    const twice = build();
    twice.fit([[0, 1]], [[1, 0]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer: 'adam', verbose: 0 });
    twice.fit([[5, -3]], [[0, 1]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer: 'adam', verbose: 0 });
    expect(m.getWeights()).toEqual(twice.getWeights()); // the same Adam state carried over
  });

  it('puts the model back and throws a NonFiniteError when the update overflows; refuses to run during a fitAsync', async () => {
    const m = build();
    const before = m.getWeights();
    expect(() => m.trainOnBatch(x, y, { loss: 'quadratic', optimizer: new SGD({ learningRate: 1e39 }) })).toThrow(NonFiniteError);
    expect(() => m.trainOnBatch(x, y, { loss: 'quadratic', optimizer: new SGD({ learningRate: 1e39 }) })).toThrow(/trainOnBatch: a non-finite value, first in the optimizer step/);
    expect(m.getWeights()).toEqual(before);
    const running = m.fitAsync(x, y, { epochs: 200, batchSize: 1, loss: 'quadratic', optimizer: 'sgd', verbose: 0 });
    expect(() => m.trainOnBatch(x, y, { loss: 'quadratic', optimizer: 'sgd' })).toThrow(StateError);
    await running;
    expect(() => m.trainOnBatch(Tensor.zeros([1, 3]), Tensor.zeros([1, 2]), { loss: 'quadratic', optimizer: 'sgd' })).toThrow(/expected x of shape \[batch, 2\]/);
  });

  it('does not grow memory over 200,000 one-sample calls (an RL loop)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinydense-step-'));
    const script = join(dir, 'loop.mts');
    writeFileSync(
      script,
      `import { Dense, Sequential, Sigmoid, Tanh, Tensor } from 'tinydense';
       const model = new Sequential([new Dense(2, 8), new Tanh(), new Dense(8, 1), new Sigmoid()], { seed: 1 });
       const x = Tensor.zeros([1, 2]);
       const y = Tensor.zeros([1, 1]);
       const options = { loss: 'cross-entropy', optimizer: 'adam' } as const;
       const run = (n) => { for (let i = 0; i < n; i++) { x.data[0] = i % 2; x.data[1] = (i >> 1) % 2; y.data[0] = (i % 2) ^ ((i >> 1) % 2); model.trainOnBatch(x, y, options); } };
       run(20_000);
       globalThis.gc(); const before = process.memoryUsage().heapUsed;
       run(200_000);
       globalThis.gc(); const after = process.memoryUsage().heapUsed;
       console.log(JSON.stringify({ growth: after - before, p: Array.from(model.predict([[0, 1], [1, 1]]).data) }));`,
    );
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const { growth, p } = JSON.parse(out.trim().split('\n').at(-1) as string);
    console.log(`trainOnBatch: heap growth over 200,000 calls ${growth} bytes`);
    expect(growth).toBeLessThan(256 * 1024);
    expect(p[0]).toBeGreaterThan(0.9); // it learned XOR: 0 xor 1
    expect(p[1]).toBeLessThan(0.1);
  }, 120_000);
});
