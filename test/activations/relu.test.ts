import { describe, expect, it } from 'vitest';
import { ReLU, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

layerConformance('ReLU', {
  make: () => new ReLU(),
  example: { input: [[-2, 0, 3.5]], output: [[0, 0, 3.5]] },
  kinkClearance: 1e-3,
});

describe('ReLU', () => {
  it('passes gradient only where z > 0 (0 at the kink itself)', () => {
    const r = new ReLU();
    r.forward(Tensor.from([[-1, 0, 2]], 'float64'));
    expect(r.backward(Tensor.from([[5, 5, 5]], 'float64')).toArray()).toEqual([[0, 0, 5]]);
  });
});
