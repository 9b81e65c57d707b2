/**
 * Models of very many layers: built, checked and loaded in time linear in their
 * size, and never exhausting the address space with kernel memories.
 */
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, Tensor } from 'tinydense';
import { MAX_LIVE_MEMORIES } from '../../src/backend/wasm/module.js';

describe('many layers', () => {
  it('builds and predicts with 200,000 activation layers in linear time', () => {
    const started = performance.now();
    const model = new Sequential([new Dense(2, 2), ...Array.from({ length: 200_000 }, () => new ReLU())]);
    expect(model.predict([[1, -1]]).shape).toEqual([1, 2]);
    expect(performance.now() - started).toBeLessThan(10_000); // the quadratic check took minutes
  }, 30_000);

  it(`loads a 17,000-layer file of Dense(1→1) layers in seconds: past ${MAX_LIVE_MEMORIES} live kernel memories, layers run on the reference loops`, () => {
    const layers = Array.from({ length: 17_000 }, (_, i) => ({ kind: 'dense', config: { inputs: 1, outputs: 1, init: 'xavier' }, weights: { weights: [i % 2 === 0 ? 1 : -1], biases: [0.5] } }));
    const json = JSON.stringify({ format: 'tinydense-model', version: 1, dtype: 'float32', seed: 0, layers });
    const started = performance.now();
    const model = Sequential.fromJSON(json);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(20); // minutes of stalls once the address space ran out
    const dense = model.layers as Dense[];
    expect(dense.filter((l) => l.simd).length).toBeLessThanOrEqual(MAX_LIVE_MEMORIES);
    expect(dense.at(-1)?.simd).toBe(false);
    // x ↦ ±x + 0.5, alternately: the same numbers on either path
    let expected = Math.fround(0.25);
    for (let i = 0; i < 17_000; i++) expected = Math.fround(Math.fround((i % 2 === 0 ? 1 : -1) * expected) + 0.5);
    expect(model.predict(Tensor.from([[0.25]])).get(0, 0)).toBe(expected);
  }, 120_000);
});
