import { describe, expect, it } from 'vitest';
import { Activation, Dense, Sequential, Sigmoid, Softmax, gradCheck } from 'tinydense';

class WrongSigmoid extends Activation {
  readonly name = 'WrongSigmoid';
  f(z: number): number {
    return 1 / (1 + Math.exp(-z));
  }
  // A typical slip: σ′ written as a instead of a(1 − a).
  derivative(_z: number, a: number): number {
    return a;
  }
}

describe('gradCheck', () => {
  const x = [[0.5, -1, 2], [1, 0.25, -0.5]];
  it('reports a tiny error for correct layers (float64)', () => {
    const model = new Sequential([new Dense(3, 4), new Sigmoid(), new Dense(4, 2), new Softmax()], { seed: 2, dtype: 'float64' });
    expect(gradCheck(model, x, [[1, 0], [0, 1]], 'categorical-cross-entropy')).toBeLessThan(1e-6);
  });

  it('exposes a wrong derivative in a custom layer', () => {
    const model = new Sequential([new Dense(3, 4), new WrongSigmoid(), new Dense(4, 2)], { seed: 2, dtype: 'float64' });
    expect(gradCheck(model, x, [[1, 0], [0, 1]], 'quadratic')).toBeGreaterThan(0.1);
  });

  it('leaves the parameters exactly as they were', () => {
    const model = new Sequential([new Dense(3, 2), new Sigmoid()], { seed: 2 });
    const before = model.getWeights();
    gradCheck(model, x, [[1, 0], [0, 1]], 'quadratic');
    expect(model.getWeights()).toEqual(before);
  });
});
