import { describe, expect, it } from 'vitest';
import { Adam, DataError, Dense, FormatError, Normalization, OptionError, Sequential, ShapeError, Tensor } from 'tinydense';
import { layerConformance } from '../helpers/conformance.js';

const stats = (width: number): { mean: number[]; variance: number[] } => ({
  mean: Array.from({ length: width }, (_, i) => 0.5 * i - 1),
  variance: Array.from({ length: width }, (_, i) => 0.25 + i),
});

layerConformance('Normalization', {
  make: (width) => new Normalization(stats(width)),
  example: { input: [[1, 2]], output: [[(1 - -1) / 0.5, (2 - -0.5) / Math.sqrt(1.25)]] },
});
layerConformance('Normalization (invert)', {
  make: (width) => new Normalization({ ...stats(width), invert: true }),
  example: { input: [[1, 2]], output: [[-1 + 1 * 0.5, -0.5 + 2 * Math.sqrt(1.25)]] },
});

describe('Normalization', () => {
  it('adapts to each column’s mean and population variance, and standardises them', () => {
    const x = [[1, 10], [2, 20], [3, 60]];
    const n = new Normalization().adapt(x);
    expect(n.mean).toEqual([2, 30]);
    expect(n.variance?.[0]).toBeCloseTo(2 / 3, 14);
    expect(n.variance?.[1]).toBeCloseTo(1400 / 3, 10);
    expect(n.inputWidth).toBe(2);
    const y = n.forward(Tensor.from(x, 'float64'));
    for (let c = 0; c < 2; c++) {
      const col = [0, 1, 2].map((r) => y.get(r, c));
      expect(col.reduce((a, b) => a + b) / 3).toBeCloseTo(0, 12);
      expect(col.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 12);
    }
  });

  it('inverts what it standardises (adapted on the same data)', () => {
    const data = [[3.5], [10], [-4]];
    const forward = new Normalization().adapt(data);
    const back = new Normalization({ invert: true }).adapt(data);
    const round = back.forward(forward.forward(Tensor.from(data, 'float64'))).toArray();
    round.forEach((r, i) => expect(r[0]).toBeCloseTo((data[i] as number[])[0] as number, 12));
  });

  it('only shifts a constant column (σ taken as 1), never dividing by zero', () => {
    const n = new Normalization().adapt([[5, 1], [5, 2]]);
    expect(n.variance?.[0]).toBe(0);
    expect(n.forward(Tensor.from([[5, 1], [7, 2]], 'float64')).toArray()).toEqual([[0, -1], [2, 1]]);
  });

  it('maps a regression output back to the targets’ units inside a model, saved and reloaded', () => {
    const x = [[1500, 3], [2000, 4], [2500, 5], [3000, 7]];
    const y = x.map(([a, b]) => [0.1 * (a as number) + 20 * (b as number)]); // exactly linear: 210 … 440
    const model = new Sequential([new Normalization().adapt(x), new Dense(2, 1), new Normalization({ invert: true }).adapt(y)], { seed: 1, dtype: 'float64' });
    model.fit(x, y, { epochs: 2000, batchSize: 4, loss: 'quadratic', optimizer: new Adam({ learningRate: 0.05 }) });
    const { rootMeanSquaredError, r2 } = model.evaluate(x, y, 'quadratic');
    expect(rootMeanSquaredError).toBeLessThan(0.5); // in the targets' units, whose spread is 230
    expect(r2).toBeGreaterThan(0.9999);
    const copy = Sequential.fromJSON(JSON.stringify(model));
    expect(copy.predict(x).data).toEqual(model.predict(x).data);
  });

  it('names what is wrong: never adapted, bad data, another width, bad statistics', () => {
    expect(() => new Sequential([new Normalization(), new Dense(2, 1)])).toThrow(/must fix the input width.*Normalization adapted/);
    const last = new Normalization({ invert: true });
    const model = new Sequential([new Dense(2, 1), last]);
    for (const call of [
      () => model.predict([[1, 2]]),
      () => model.fit([[1, 2]], [[3]], { epochs: 1, batchSize: 1, loss: 'quadratic', optimizer: 'sgd' }),
      () => model.evaluate([[1, 2]], [[3]], 'quadratic'),
    ]) {
      expect(call).toThrow(OptionError);
      expect(call).toThrow(/layer 1 \(Normalization\(not adapted, invert\)\) was never adapted; call adapt\(data\) with the training targets first/);
    }
    expect(() => new Normalization().toSpec()).toThrow(FormatError);
    expect(() => new Normalization().forward(Tensor.zeros([1, 1]))).toThrow(OptionError);
    expect(() => new Normalization().adapt([[1, Number.NaN]])).toThrow(/Normalization\.adapt: the data has NaN at row 0, column 1/);
    expect(() => new Normalization().adapt([[1, 2]]).adapt([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => new Normalization().adapt(Tensor.zeros([0, 2]))).toThrow(DataError);
    expect(() => new Normalization({ mean: [0], variance: [-1] })).toThrow(/variance\[0\] must be a finite number ≥ 0/);
    expect(() => new Normalization({ mean: [0, 1], variance: [1] })).toThrow(/mean has 2 values but variance has 1/);
    expect(() => new Normalization({ mean: [0] })).toThrow(OptionError);
    // adapted to another width after the model was built: caught before anything changes
    last.adapt([[1], [2]]);
    const before = model.getWeights();
    last.adapt([[1], [2]]);
    expect(() => new Sequential([new Dense(2, 1), new Normalization().adapt([[1, 2]])])).toThrow(ShapeError);
    expect(model.getWeights()).toEqual(before);
  });

  it('is rejected in a model file with bad statistics, as a FormatError naming the path', () => {
    const model = new Sequential([new Normalization().adapt([[1], [3]]), new Dense(1, 1)]);
    const json = JSON.parse(JSON.stringify(model));
    json.layers[0].config.variance = [-2];
    expect(() => Sequential.fromJSON(json)).toThrow(/layers\[0\]\.config: Normalization: variance\[0\] must be a finite number ≥ 0/);
    delete json.layers[0].config.variance;
    expect(() => Sequential.fromJSON(json)).toThrow(FormatError);
  });
});
