import { describe, expect, it } from 'vitest';
import { ELU, OptionError, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

layerConformance('ELU', {
  make: () => new ELU({ alpha: 1.5 }),
  example: { input: [[-1, 0, 3.5]], output: [[1.5 * (Math.exp(-1) - 1), 0, 3.5]] },
  kinkClearance: 1e-3,
});

describe('ELU', () => {
  it('saturates at −α without overflow and has derivative α·e^z below 0', () => {
    const e = new ELU({ alpha: 2 });
    expect(e.forward(Tensor.from([[-1e4, -1]], 'float64')).toArray()).toEqual([[-2, 2 * Math.expm1(-1)]]);
    expect(e.backward(Tensor.from([[1, 1]], 'float64')).toArray()).toEqual([[0, 2 * Math.exp(-1)]]);
  });
  it('defaults to α = 1 and rejects α ≤ 0', () => {
    expect(new ELU().alpha).toBe(1);
    expect(() => new ELU({ alpha: 0 })).toThrow(OptionError);
    expect(() => new ELU({ alpha: -1 })).toThrow(/ELU: alpha/);
  });
});
