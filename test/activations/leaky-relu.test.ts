import { describe, expect, it } from 'vitest';
import { LeakyReLU, OptionError, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

layerConformance('LeakyReLU', {
  make: () => new LeakyReLU({ alpha: 0.2 }),
  example: { input: [[-2, 0, 3.5]], output: [[-0.4, 0, 3.5]] },
  kinkClearance: 1e-3,
});

describe('LeakyReLU', () => {
  it('passes α of the gradient where z ≤ 0 (α at the kink itself)', () => {
    const r = new LeakyReLU({ alpha: 0.25 });
    r.forward(Tensor.from([[-1, 0, 2]], 'float64'));
    expect(r.backward(Tensor.from([[4, 4, 4]], 'float64')).toArray()).toEqual([[1, 1, 4]]);
  });
  it('defaults to α = 0.01 and rejects a negative or non-finite α', () => {
    expect(new LeakyReLU().alpha).toBe(0.01);
    expect(() => new LeakyReLU({ alpha: -0.1 })).toThrow(OptionError);
    expect(() => new LeakyReLU({ alpha: Number.NaN })).toThrow(/LeakyReLU: alpha/);
  });
});
