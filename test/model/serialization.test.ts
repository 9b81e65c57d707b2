import { describe, expect, it } from 'vitest';
import { Dense, FormatError, MODEL_VERSION, ReLU, Sequential, Sigmoid, Softmax, Tanh, Tensor, TinyDenseError } from 'tinydense';

function trained(dtype: 'float32' | 'float64'): Sequential {
  const model = new Sequential([new Dense(3, 5, { init: 'he' }), new ReLU(), new Dense(5, 4, { init: 'nielsen' }), new Tanh(), new Dense(4, 2), new Softmax()], { seed: 8, dtype });
  model.fit([[0.1, 0.2, 0.3], [1, -1, 0.5], [0, 0, 1]], [[1, 0], [0, 1], [1, 0]], { epochs: 20, batchSize: 2, loss: 'categorical-cross-entropy', optimizer: 'adam' });
  return model;
}

describe('model JSON', () => {
  it('round-trips to a model that predicts bit-identically, float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const model = trained(dtype);
      const text = JSON.stringify(model);
      const copy = Sequential.fromJSON(text);
      const x = Tensor.from([[0.3, -0.7, 2], [5, 5, 5]], dtype);
      expect(copy.dtype).toBe(dtype);
      expect(copy.predict(x).data).toEqual(model.predict(x).data);
      expect(copy.getWeights()).toEqual(model.getWeights());
      expect(Sequential.fromJSON(JSON.parse(text)).getWeights()).toEqual(model.getWeights());
    }
  });

  it('rejects a config value that cannot even be printed (an object whose toString is null) with a typed error', () => {
    // Found by the fromJSON fuzzer: the error message itself used to throw a TypeError.
    const doc = JSON.parse(JSON.stringify(new Sequential([new Dense(3, 2)]))) as { layers: { config: Record<string, unknown> }[] };
    (doc.layers[0] as { config: Record<string, unknown> }).config.outputs = JSON.parse('{"toString": null, "constructor": {"name": {"toString": null}}}');
    expect(() => Sequential.fromJSON(doc)).toThrow(TinyDenseError);
    expect(() => Sequential.fromJSON(JSON.stringify(doc))).toThrow(/outputs must be a positive integer, got Object|an object/);
  });

  it('is plain, versioned data: format, version, dtype, seed and {kind, config, weights} per layer', () => {
    const json = new Sequential([new Dense(2, 1, { init: 'nielsen-large' }), new Sigmoid()], { seed: 3 }).toJSON();
    expect(json).toMatchObject({ format: 'tinydense-model', version: MODEL_VERSION, dtype: 'float32', seed: 3 });
    expect(json.layers[0]).toMatchObject({ kind: 'dense', config: { inputs: 2, outputs: 1, init: 'nielsen-large' } });
    expect(json.layers[1]).toEqual({ kind: 'sigmoid' });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(new Sequential([new Dense(2, 2), new Sigmoid()])));
  const mutate = (f: (j: any) => void): unknown => {
    const j = good();
    f(j);
    return j;
  };
  const bad: [string, unknown, RegExp][] = [
    ['text that is not JSON', '{"format": tinydense', /not valid JSON/],
    ['a non-object', 42, /the model must be an object, got 42/],
    ['another format', mutate((j) => (j.format = 'keras')), /format must be "tinydense-model", got "keras"/],
    ['a newer version', mutate((j) => (j.version = MODEL_VERSION + 1)), /version 2 is newer than this tinydense reads \(1\)/],
    ['a bad dtype', mutate((j) => (j.dtype = 'int8')), /dtype must be "float32" or "float64"/],
    ['no layers', mutate((j) => (j.layers = [])), /layers must be a non-empty array/],
    ['an unknown layer kind', mutate((j) => j.layers.push({ kind: 'conv2d' })), /layers\[2\]\.kind "conv2d" is not a layer/],
    ['a bad dense config', mutate((j) => (j.layers[0].config.outputs = -1)), /layers\[0\]\.config: Dense: outputs must be a positive integer/],
    ['layers that do not fit together', mutate((j) => j.layers.push({ kind: 'dense', config: { inputs: 3, outputs: 1, init: 'xavier' }, weights: { weights: [1, 2, 3], biases: [0] } })), /do not fit together/],
    ['too few weights', mutate((j) => j.layers[0].weights.weights.pop()), /layers\[0\]\.weights\.weights must be 4 numbers, got an array of length 3/],
    ['missing biases', mutate((j) => delete j.layers[0].weights.biases), /layers\[0\]\.weights\.biases must be 2 numbers, got undefined/],
    ['a non-number weight', mutate((j) => (j.layers[0].weights.weights[2] = 'x')), /layers\[0\]\.weights\.weights\[2\] is "x", not a finite number/],
    ['a null weight (NaN written by JSON.stringify)', mutate((j) => (j.layers[0].weights.biases[1] = null)), /biases\[1\] is null/],
  ];
  for (const [name, json, message] of bad) {
    it(`rejects ${name} with a FormatError naming the field`, () => {
      expect(() => Sequential.fromJSON(json)).toThrow(FormatError);
      expect(() => Sequential.fromJSON(json)).toThrow(message);
    });
  }
});
