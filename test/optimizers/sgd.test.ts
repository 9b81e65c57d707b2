import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionError, SGD, Tensor, type Parameter } from 'tinydense';

function param(values: number[], grads: number[], decay = true, dtype: 'float32' | 'float64' = 'float64'): Parameter {
  return { name: 'weights', value: Tensor.from([values], dtype), grad: Tensor.from([grads], dtype), decay };
}

describe('SGD', () => {
  it('makes exactly w − η·(mean gradient), in float32 and float64 arithmetic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.constantFrom('float32', 'float64' as const),
        (pairs, eta, dtype) => {
          const p = param(pairs.map((q) => q[0]), pairs.map((q) => q[1]), true, dtype);
          const before = p.value.clone();
          new SGD({ learningRate: eta }).step([p]);
          // float32 parameters take float32 arithmetic: η, the product and the difference rounded to float32
          const round = dtype === 'float32' ? Math.fround : (v: number): number => v;
          p.value.data.forEach((w, i) => expect(w).toBe(round((before.data[i] as number) - round(round(eta) * (p.grad.data[i] as number)))));
        },
      ),
    );
  });

  it('applies the book’s weight decay (1 − ηλ/n)·w to weights, not to biases', () => {
    const w = param([2], [0.5]);
    const b = param([2], [0.5], false);
    new SGD({ learningRate: 0.5, l2: 5 }).step([w, b], { trainingSetSize: 50 });
    expect(w.value.get(0, 0)).toBe((1 - (0.5 * 5) / 50) * 2 - 0.5 * 0.5);
    expect(b.value.get(0, 0)).toBe(2 - 0.5 * 0.5);
  });

  it('needs the training-set size for l2 and says so', () => {
    expect(() => new SGD({ learningRate: 0.1, l2: 1 }).step([param([1], [1])])).toThrow(/l2 needs the training-set size/);
  });

  it('accumulates velocity with momentum: v ← μv − ηg, w ← w + v', () => {
    const p = param([0], [1]);
    const sgd = new SGD({ learningRate: 1, momentum: 0.5 });
    sgd.step([p]);
    expect(p.value.get(0, 0)).toBe(-1);
    sgd.step([p]);
    expect(p.value.get(0, 0)).toBe(-1 + (0.5 * -1 - 1));
  });

  it('reports whether every stored value is finite, catching a float32 overflow', () => {
    expect(new SGD({ learningRate: 1 }).step([param([1, 2], [0.5, 0.5])])).toBe(true);
    expect(new SGD({ learningRate: 1 }).step([param([1, 2], [NaN, 0.5])])).toBe(false);
    // 1e39 is finite in a double but not in a Float32Array.
    expect(new SGD({ learningRate: 1e39 }).step([param([1], [1], true, 'float32')])).toBe(false);
    expect(new SGD({ learningRate: 1e39 }).step([param([1], [1], true, 'float64')])).toBe(true);
    expect(new SGD({ learningRate: 1, momentum: 0.5 }).step([param([1], [Infinity])])).toBe(false);
    // A huge but finite sum is rechecked, not reported as non-finite.
    expect(new SGD({ learningRate: 0 }).step([param([1.7e308, 1.7e308], [0, 0])])).toBe(true);
  });

  it('rejects a negative or NaN learning rate and bad momentum with an OptionError', () => {
    expect(() => new SGD({ learningRate: -1 })).toThrow(OptionError);
    expect(() => new SGD({ learningRate: NaN })).toThrow('SGD: learningRate must be a finite number ≥ 0, got NaN');
    expect(() => new SGD({ learningRate: 1, momentum: 1 })).toThrow(/momentum must be a finite number in \[0, 1\)/);
    const sgd = new SGD({ learningRate: 1 });
    sgd.learningRate = -3;
    const p = param([1], [1]);
    expect(() => sgd.step([p])).toThrow(OptionError);
    expect(p.value.get(0, 0)).toBe(1);
  });
});
