import { describe, expect, it } from 'vitest';
import { Adam, OptionError, Tensor, type Parameter } from 'tinydense';

describe('Adam', () => {
  it('moves each weight by about η against the gradient’s sign on the first step (bias-corrected)', () => {
    const p: Parameter = { name: 'weights', value: Tensor.from([[1, 1]], 'float64'), grad: Tensor.from([[0.3, -20]], 'float64'), decay: true };
    new Adam({ learningRate: 0.1 }).step([p]);
    expect(p.value.get(0, 0)).toBeCloseTo(0.9, 6);
    expect(p.value.get(0, 1)).toBeCloseTo(1.1, 6);
  });

  it('follows the published update for several steps', () => {
    const p: Parameter = { name: 'weights', value: Tensor.from([[0.5]], 'float64'), grad: Tensor.zeros([1, 1], 'float64'), decay: true };
    const adam = new Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.9, epsilon: 1e-6 });
    let w = 0.5, m = 0, v = 0;
    for (let t = 1; t <= 5; t++) {
      const g = 2 * w; // gradient of w²
      p.grad.data[0] = g;
      adam.step([p]);
      m = 0.8 * m + 0.2 * g;
      v = 0.9 * v + 0.1 * g * g;
      w -= (0.01 * (m / (1 - 0.8 ** t))) / (Math.sqrt(v / (1 - 0.9 ** t)) + 1e-6);
      expect(p.value.get(0, 0)).toBeCloseTo(w, 14);
    }
    expect(adam.stepCount).toBe(5);
  });

  it('reports whether every stored value is finite', () => {
    const p = (g: number): Parameter => ({ name: 'weights', value: Tensor.from([[1]], 'float64'), grad: Tensor.from([[g]], 'float64'), decay: true });
    expect(new Adam().step([p(0.5)])).toBe(true);
    expect(new Adam().step([p(NaN)])).toBe(false);
  });

  it('rejects out-of-range options', () => {
    expect(() => new Adam({ learningRate: -0.1 })).toThrow(OptionError);
    expect(() => new Adam({ beta1: 1 })).toThrow(/beta1/);
    expect(() => new Adam({ epsilon: 0 })).toThrow(/epsilon/);
  });
});
