import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, Dense, Rng, Sequential, Softmax, Tensor } from 'tinydense';
import { checkFinite, valueRange } from '../../src/training/validate.js';

/** Math.min and Math.max over every value (valueRange gives these, or NaN for both where either is NaN). */
const reference = (data: ArrayLike<number>): [number, number] => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    lo = Math.min(lo, data[i] as number);
    hi = Math.max(hi, data[i] as number);
  }
  return [lo, hi];
};

describe('valueRange', () => {
  it('gives the smallest and largest value, ±Infinity included, and NaN for both if any value is NaN', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 3e38, -3e38, 1e-45);
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 7, 4096, 4099, 200_003),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (length, wide, specials, seed) => {
          const data = wide ? new Float64Array(length) : new Float32Array(length);
          for (let i = 0; i < length; i++) data[i] = Math.sin(seed + i * 0.37) * 1000;
          for (const [at, v] of specials) if (length > 0) data[at % length] = v;
          const [lo, hi] = valueRange(data);
          const [rlo, rhi] = reference(data);
          if (Number.isNaN(rlo)) expect([lo, hi]).toEqual([Number.NaN, Number.NaN]);
          else expect([lo === rlo, hi === rhi]).toEqual([true, true]); // −0 and +0 alike
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lets checkFinite name the first non-finite value of a large tensor', () => {
    const x = Tensor.zeros([100, 784]);
    x.data[57 * 784 + 300] = Infinity;
    x.data[90 * 784] = Number.NaN;
    expect(() => checkFinite(x, 'Sequential.predict', 'x')).toThrow(new DataError('Sequential.predict: x has Infinity at row 57, column 300'));
    x.data[57 * 784 + 300] = 0;
    x.data[90 * 784] = 0;
    x.data[5] = -2;
    expect(checkFinite(x, 'Sequential.predict', 'x')).toEqual([-2, 0]);
  });
});

describe('errors that teach, and honest warnings', () => {
  const model = (): Sequential => new Sequential([new Dense(2, 3), new Softmax()], { seed: 1 });
  const fit = { epochs: 1, batchSize: 2, loss: 'categorical-cross-entropy', optimizer: 'sgd' } as const;

  it('flat labels: says to give rows, and names oneHot', () => {
    expect(() => model().fit([[0, 1], [1, 0]], [1, 2] as never, fit)).toThrow(/Sequential\.fit y: Tensor\.from: expected an array of rows .* got a flat array of 2 numbers; .*oneHot\(labels, classes\)/);
  });

  it('class numbers where one-hot rows are expected: names oneHot with the class count', () => {
    expect(() => model().fit([[0, 1], [1, 0], [1, 1]], [[0], [2], [1]], fit)).toThrow(/expected y of shape \[batch, 3\], got \[3, 1\]: it looks like class numbers \(0–2\); give one-hot rows instead, oneHot\(labels, 3\)/);
  });

  it('accepts rows given as typed arrays', () => {
    const m = model();
    const rows = [Float32Array.of(0, 1), Float32Array.of(1, 0)];
    expect(() => m.fit(rows, [[1, 0, 0], [0, 1, 0]], fit)).not.toThrow();
    expect(m.predict([Float64Array.of(0.5, 0.5)]).shape).toEqual([1, 3]);
  });

  it("answers other libraries' loss names with tinydense's", () => {
    for (const [name, answer] of [['mse', /tinydense calls it 'quadratic'/], ['mean_squared_error', /'quadratic'/], ['binary_crossentropy', /tinydense calls it 'cross-entropy'/], ['categoricalCrossentropy', /'categorical-cross-entropy'/], ['sparse_categorical_crossentropy', /oneHot\(labels, classes\)/]] as const) {
      expect(() => model().fit([[0, 1]], [[1, 0, 0]], { ...fit, loss: name as never })).toThrow(answer);
    }
    expect(() => model().fit([[0, 1]], [[1, 0, 0]], { ...fit, optimizer: 'Adam' as never })).toThrow(/names are lower-case: 'adam'/);
  });

  it('warns once when a cross-entropy loss meets an output that is not a probability', () => {
    const warnings: string[] = [];
    const linear = new Sequential([new Dense(2, 3)]);
    for (let i = 0; i < 3; i++) linear.fit([[0, 1]], [[1, 0, 0]], { ...fit, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/categorical cross-entropy loss expects probabilities, but the model ends on Dense\(2→3\); end it on a Softmax layer/)]);
    const quiet: string[] = [];
    model().fit([[0, 1]], [[1, 0, 0]], { ...fit, onWarning: (w) => quiet.push(w) });
    expect(quiet).toEqual([]);
  });

  it('10,000 one-row fits give at most one range warning, and the known range grows with each', () => {
    const m = new Sequential([new Dense(1, 1)], { seed: 2 });
    const warnings: string[] = [];
    const rng = new Rng(3);
    for (let i = 0; i < 10_000; i++) {
      const v = rng.normal();
      m.fit([[v]], [[0]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer: 'sgd', onWarning: (w) => warnings.push(w) });
    }
    expect(warnings.length).toBeLessThanOrEqual(1);
    const [lo, hi] = m.inputRange as [number, number];
    expect(lo).toBeLessThan(-3);
    expect(hi).toBeGreaterThan(3);
    // predict and evaluate take onWarning too
    const seen: string[] = [];
    const fresh = new Sequential([new Dense(1, 1)]);
    fresh.fit([[0], [1]], [[0], [1]], { epochs: 1, batchSize: 2, loss: 'quadratic', optimizer: 'sgd' });
    fresh.predict([[255]], { onWarning: (w) => seen.push(w) });
    fresh.evaluate([[255]], [[1]], 'quadratic', { onWarning: (w) => seen.push(w) });
    expect(seen).toEqual([expect.stringMatching(/^Sequential\.predict: x has values in \[255, 255\], far outside \[0, 1\] seen in training/)]);
    expect(() => fresh.predict([[1]], { onWarning: 'loud' as never })).toThrow(/onWarning must be a function/);
  });
});
