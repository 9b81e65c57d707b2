import { describe, expect, it } from 'vitest';
import {
  Adam, DataError, Dense, FormatError, OptionError, ReLU, SGD, Sequential, ShapeError, Sigmoid, Softmax, Tanh, Tensor, oneHot, type DType,
} from 'tinydense';

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

function xorModel(seed: number, dtype: DType = 'float32'): Sequential {
  return new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 1), new Sigmoid()], { seed, dtype });
}

function trainXor(seed: number, dtype: DType): Sequential {
  const model = xorModel(seed, dtype);
  model.fit(XOR_X, XOR_Y, { epochs: 1000, batchSize: 2, loss: 'cross-entropy', optimizer: new SGD({ learningRate: 1, momentum: 0.5 }) });
  return model;
}

function weightsEqual(a: Tensor[], b: Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t.data.every((v, j) => Object.is(v, b[i]?.data[j])));
}

describe('Sequential', () => {
  it('learns XOR to 100% accuracy with a fixed seed', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const model = trainXor(1, dtype);
      expect(model.evaluate(XOR_X, XOR_Y, 'cross-entropy').accuracy).toBe(1);
      const p = model.predict(XOR_X);
      expect(p.get(0, 0)).toBeLessThan(0.1);
      expect(p.get(1, 0)).toBeGreaterThan(0.9);
    }
  });

  it('gives bit-identical weights for the same seed and data, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expect(weightsEqual(trainXor(7, dtype).getWeights(), trainXor(7, dtype).getWeights())).toBe(true);
    }
  });

  it('gives different weights for different seeds', () => {
    expect(weightsEqual(trainXor(1, 'float32').getWeights(), trainXor(2, 'float32').getWeights())).toBe(false);
    expect(weightsEqual(xorModel(1).getWeights(), xorModel(2).getWeights())).toBe(false);
  });

  it('lists weights in layer order W₁, b₁, W₂, b₂ with [inputs, outputs] layout, as copies', () => {
    const model = xorModel(0);
    const w = model.getWeights();
    expect(w.map((t) => t.shape)).toEqual([[2, 4], [1, 4], [4, 1], [1, 1]]);
    w[0]?.data.fill(123);
    expect(model.getWeights()[0]?.data[0]).not.toBe(123);
  });

  it('sets weights after checking all of them, and predicts with them', () => {
    const model = new Sequential([new Dense(2, 1)], { dtype: 'float64' });
    model.setWeights([[[1], [2]], [[0.5]]]);
    expect(model.predict([[1, 1]]).get(0, 0)).toBe(3.5);
    const before = model.getWeights();
    expect(() => model.setWeights([[[9], [9]], [[1, 2]]])).toThrow('Sequential.setWeights: tensor 1 (biases) must be [1, 1], got [1, 2]');
    expect(() => model.setWeights([[[9], [9]], [[NaN]]])).toThrow(DataError);
    expect(() => model.setWeights([[[9], [9]]])).toThrow(ShapeError);
    expect(weightsEqual(model.getWeights(), before)).toBe(true);
  });

  it('computes gradients without updating anything', () => {
    const model = xorModel(0, 'float64');
    const before = model.getWeights();
    const grads = model.gradients(XOR_X, XOR_Y, 'quadratic');
    expect(grads.map((g) => g.shape)).toEqual(before.map((w) => w.shape));
    expect(grads.some((g) => g.data.some((v) => v !== 0))).toBe(true);
    expect(weightsEqual(model.getWeights(), before)).toBe(true);
    // Twice gives the same: gradients do not leak from one call into the next.
    expect(weightsEqual(model.gradients(XOR_X, XOR_Y, 'quadratic'), grads)).toBe(true);
  });

  it('prints a summary of layers, output shapes and parameter counts', () => {
    const s = new Sequential([new Dense(784, 30), new Sigmoid(), new Dense(30, 10), new Sigmoid()]).summary();
    expect(s).toMatch(/Dense\(784→30\)\s+\[batch, 30\]\s+23,550/);
    expect(s).toMatch(/Dense\(30→10\)\s+\[batch, 10\]\s+310/);
    expect(s).toContain('Total parameters: 23,860 (float32)');
  });

  it('checks that consecutive layers fit together and the options are valid', () => {
    expect(() => new Sequential([new Dense(2, 3), new Dense(4, 1)])).toThrow('Sequential: layer 1: Dense(4→1): expects 4 inputs, but the previous layer gives 3');
    expect(() => new Sequential([])).toThrow(OptionError);
    expect(() => new Sequential([new Sigmoid(), new Dense(2, 1)])).toThrow(/must fix the input width/);
    // @ts-expect-error: an unknown dtype
    expect(() => new Sequential([new Dense(2, 1)], { dtype: 'float16' })).toThrow(OptionError);
    const shared = new Dense(2, 2);
    expect(() => new Sequential([shared, shared])).toThrow(/appears twice/);
  });
});

describe('Sequential.fit and evaluate: bad input gets a typed error and leaves the model unchanged', () => {
  const model = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2), new Softmax()], { seed: 1 });
  const x = Tensor.from([[1, 2, 3], [0, 1, 0]]);
  const y = oneHot([0, 1], 2);
  const ok = { epochs: 1, batchSize: 2, loss: 'categorical-cross-entropy', optimizer: 'sgd' } as const;

  const cases: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ['wrong input width', () => model.fit(Tensor.zeros([2, 4]), y, ok), ShapeError, /expected x of shape \[batch, 3\], got \[2, 4\]/],
    ['wrong target width', () => model.fit(x, Tensor.zeros([2, 3]), ok), ShapeError, /expected y of shape \[batch, 2\], got \[2, 3\]/],
    ['x/y row-count mismatch', () => model.fit(x, oneHot([0], 2), ok), ShapeError, /x has 2 rows but y has 1/],
    ['NaN in x', () => model.fit(Tensor.from([[1, 2, 3], [0, NaN, 0]]), y, ok), DataError, /x has NaN at row 1, column 1/],
    ['Infinity in y', () => model.fit(x, Tensor.from([[1, 0], [Infinity, 0]]), ok), DataError, /y has Infinity at row 1, column 0/],
    ['batchSize 0', () => model.fit(x, y, { ...ok, batchSize: 0 }), OptionError, /batchSize must be a positive integer or 'full', got 0/],
    ['negative batchSize', () => model.fit(x, y, { ...ok, batchSize: -5 }), OptionError, /batchSize/],
    ['negative learning rate', () => model.fit(x, y, { ...ok, optimizer: new SGD({ learningRate: -1 }) }), OptionError, /learningRate must be a finite number ≥ 0, got -1/],
    ['NaN learning rate', () => model.fit(x, y, { ...ok, optimizer: new Adam({ learningRate: NaN }) }), OptionError, /learningRate/],
    // @ts-expect-error: an unknown loss name, as a JavaScript caller could pass
    ['unknown loss', () => model.fit(x, y, { ...ok, loss: 'mse' }), OptionError, /unknown loss "mse"/],
    // @ts-expect-error: an unknown optimizer name
    ['unknown optimizer', () => model.fit(x, y, { ...ok, optimizer: 'rmsprop' }), OptionError, /unknown optimizer "rmsprop"/],
    ['negative epochs', () => model.fit(x, y, { ...ok, epochs: -1 }), OptionError, /epochs must be an integer ≥ 0/],
    ['bad validation data', () => model.fit(x, y, { ...ok, validationData: [Tensor.zeros([1, 3]), Tensor.zeros([1, 5])] }), ShapeError, /validationData y/],
    ['predict with a wrong width', () => model.predict([[1, 2]]), ShapeError, /expected x of shape \[batch, 3\], got \[1, 2\]/],
    ['evaluate with NaN', () => model.evaluate([[NaN, 0, 0]], [[1, 0]], 'quadratic'), DataError, /NaN at row 0, column 0/],
    ['predict with NaN', () => model.predict([[1, 2, 3], [0, 0, NaN]]), DataError, /Sequential.predict: x has NaN at row 1, column 2/],
    ['predict with -Infinity', () => model.predict([[1, -Infinity, 3]]), DataError, /Sequential.predict: x has -Infinity at row 0, column 1/],
  ];
  for (const [name, call, type, message] of cases) {
    it(name, () => {
      const before = model.getWeights();
      const rng = model.rng.getState();
      expect(call).toThrow(type);
      expect(call).toThrow(message);
      expect(weightsEqual(model.getWeights(), before)).toBe(true);
      expect(model.rng.getState()).toEqual(rng);
    });
  }
});

describe('class names and metadata', () => {
  it('keeps them in the model JSON, through every re-save, and names the predicted classes', () => {
    const model = new Sequential([new Dense(2, 3), new Softmax()], { classNames: ['a', 'b', 'c'], metadata: { source: 'penguins.csv', encoding: { features: [] } } });
    model.setWeights([[[5, 0, 0], [0, 0, 5]], [[0, 0, 0]]]);
    expect(model.predictClasses([[1, 0], [0, 1]])).toEqual(['a', 'c']);
    const once = Sequential.fromJSON(JSON.stringify(model));
    const twice = Sequential.fromJSON(JSON.stringify(once));
    expect(twice.classNames).toEqual(['a', 'b', 'c']);
    expect(twice.metadata).toEqual({ source: 'penguins.csv', encoding: { features: [] } });
    expect(twice.predictClasses([[0, 1]])).toEqual(['c']);
  });

  it('takes two names for a single output (below, then at or above 0.5)', () => {
    const model = new Sequential([new Dense(1, 1), new Sigmoid()], { classNames: ['no', 'yes'] });
    model.setWeights([[[10]], [[0]]]);
    expect(model.predictClasses([[-1], [1]])).toEqual(['no', 'yes']);
  });

  it('copies the metadata, and refuses names that do not fit and data JSON cannot hold', () => {
    const metadata = { version: 1 };
    const model = new Sequential([new Dense(2, 2)], { metadata });
    metadata.version = 2;
    expect(model.metadata).toEqual({ version: 1 });
    expect(() => new Sequential([new Dense(2, 3)], { classNames: ['a', 'b'] })).toThrow(/classNames must be 3 strings \(one per output\)/);
    expect(() => new Sequential([new Dense(2, 2)], { classNames: ['a', 'a'] })).toThrow(/distinct/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => new Sequential([new Dense(2, 2)], { metadata: cyclic })).toThrow(/metadata must be JSON-compatible/);
    expect(() => new Sequential([new Dense(2, 2)]).predictClasses([[1, 2]])).toThrow(/has no classNames/);
    const json = JSON.parse(JSON.stringify(new Sequential([new Dense(2, 2)], { classNames: ['x', 'y'] })));
    json.classNames = ['x', 'y', 'z'];
    expect(() => Sequential.fromJSON(json)).toThrow(FormatError);
    json.classNames = 'x';
    expect(() => Sequential.fromJSON(json)).toThrow(/classNames must be an array of strings/);
  });
});
