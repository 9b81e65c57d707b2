import { describe, expect, it } from 'vitest';
import { Tanh, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

layerConformance('Tanh', {
  make: () => new Tanh(),
  example: { input: [[0, 0.5, -1]], output: [[0, Math.tanh(0.5), Math.tanh(-1)]] },
});

describe('Tanh', () => {
  it('saturates to ±1 without overflow for inputs up to ±1e4', () => {
    const a = new Tanh().forward(Tensor.from([[-1e4, 1e4]]));
    expect(a.toArray()).toEqual([[-1, 1]]);
  });
});
