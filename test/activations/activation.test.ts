import { describe, expect, it } from 'vitest';
import { Activation, Dense, Sequential, Tensor, gradCheck } from 'tinydense';

class Softplus extends Activation {
  readonly name = 'Softplus';
  f(z: number): number {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }
  derivative(z: number): number {
    return 1 / (1 + Math.exp(-z));
  }
}

describe('Activation (user subclass)', () => {
  it('works as a layer in a Sequential, with gradients that pass gradCheck', () => {
    const model = new Sequential([new Dense(3, 4), new Softplus(), new Dense(4, 2)], { seed: 3, dtype: 'float64' });
    const x = [[0.1, -0.4, 2], [1, 0, -1]];
    const y = [[1, 0], [0, 1]];
    expect(gradCheck(model, x, y, 'quadratic')).toBeLessThan(1e-6);
    expect(model.predict(x).shape).toEqual([2, 2]);
  });

  it('applies f element-wise and backpropagates g ⊙ f′(z)', () => {
    const s = new Softplus();
    const a = s.forward(Tensor.from([[0, 1]], 'float64'));
    expect(a.get(0, 0)).toBeCloseTo(Math.log(2), 14);
    expect(s.backward(Tensor.from([[2, 2]], 'float64')).get(0, 1)).toBeCloseTo(2 / (1 + Math.exp(-1)), 14);
  });

  it('cannot be saved to JSON without toSpec, and says so', () => {
    const model = new Sequential([new Dense(3, 4), new Softplus()]);
    expect(() => model.toJSON()).toThrow(/custom layer without toSpec/);
  });
});
