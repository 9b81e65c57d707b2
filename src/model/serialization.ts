/**
 * The model JSON format, version 1: plain data that rebuilds a model exactly.
 *
 * ```json
 * { "format": "tinydense-model", "version": 1, "dtype": "float32", "seed": 0,
 *   "layers": [
 *     { "kind": "dense", "config": { "inputs": 784, "outputs": 30, "init": "nielsen-large" },
 *       "weights": { "weights": [ …784·30 numbers, row-major [inputs, outputs]… ], "biases": [ …30… ] } },
 *     { "kind": "sigmoid" } ] }
 * ```
 *
 * Numbers are written as JavaScript's shortest round-trip decimal, so a reloaded
 * model has bit-identical parameters in float32 and float64.
 *
 * @module
 */
import { Dense } from '../layers/dense.js';
import { ReLU } from '../activations/relu.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Softmax } from '../activations/softmax.js';
import { Tanh } from '../activations/tanh.js';
import { FormatError, TinyDenseError, describe } from '../errors.js';
import type { DenseInit, Layer, LayerSpec } from '../layers/layer.js';
import type { DType } from '../tensor.js';
import { Sequential } from './sequential.js';

/** The `format` field of every model file. */
export const MODEL_FORMAT = 'tinydense-model';

/** The newest model format version this build reads and the one it writes. */
export const MODEL_VERSION = 1;

/** One layer in a {@link ModelJSON}: its spec, plus its parameters by name. */
export type LayerJSON = LayerSpec & LayerWeights;

/** The saved parameters of one layer. */
export interface LayerWeights {
  /** Each parameter's values by its name (`weights`, `biases`), row-major; absent for layers without parameters. */
  readonly weights?: Readonly<Record<string, readonly number[]>>;
}

/** A model as plain data, see {@link Sequential.toJSON}. */
export interface ModelJSON {
  /** Always `'tinydense-model'`. */
  readonly format: typeof MODEL_FORMAT;
  /** The format version, {@link MODEL_VERSION}. */
  readonly version: number;
  /** The parameters' dtype. */
  readonly dtype: DType;
  /** The model's seed (the RNG's position is not saved). */
  readonly seed: number;
  /** The layers, first to last. */
  readonly layers: readonly LayerJSON[];
}

/**
 * Writes a model as plain data.
 *
 * @param model - The model.
 * @returns Its {@link ModelJSON}.
 * @throws {@link FormatError} if a layer (a custom one) has no `toSpec`.
 */
export function modelToJSON(model: Sequential): ModelJSON {
  const layers = model.layers.map((layer, i): LayerJSON => {
    if (typeof layer.toSpec !== 'function') {
      throw new FormatError(`Sequential.toJSON: layer ${i} (${layer.name}) is a custom layer without toSpec(), so it cannot be saved`);
    }
    const spec = layer.toSpec();
    const parameters = layer.parameters();
    if (parameters.length === 0) return spec;
    const weights: Record<string, number[]> = {};
    for (const p of parameters) weights[p.name] = Array.from(p.value.data);
    return { ...spec, weights };
  });
  return { format: MODEL_FORMAT, version: MODEL_VERSION, dtype: model.dtype, seed: model.seed, layers };
}

/**
 * Rebuilds a model from {@link ModelJSON} (or its JSON text). Everything is
 * checked before the model is returned: a malformed or mismatched file never
 * gives a half-loaded model.
 *
 * @param json - The JSON text or the parsed object.
 * @returns A new model predicting bit-identically to the saved one.
 * @throws {@link FormatError} naming the offending field.
 */
export function modelFromJSON(json: unknown): Sequential {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      throw new FormatError(`Sequential.fromJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  const root = record(data, 'the model');
  if (root.format !== MODEL_FORMAT) {
    throw new FormatError(`Sequential.fromJSON: format must be "${MODEL_FORMAT}", got ${describe(root.format)}`);
  }
  const version = root.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new FormatError(`Sequential.fromJSON: version must be a positive integer, got ${describe(version)}`);
  }
  if (version > MODEL_VERSION) {
    throw new FormatError(`Sequential.fromJSON: version ${version} is newer than this tinydense reads (${MODEL_VERSION}); upgrade tinydense`);
  }
  const dtype = root.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new FormatError(`Sequential.fromJSON: dtype must be "float32" or "float64", got ${describe(dtype)}`);
  }
  const seed = root.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new FormatError(`Sequential.fromJSON: seed must be a number, got ${describe(seed)}`);
  if (!Array.isArray(root.layers) || root.layers.length === 0) {
    throw new FormatError(`Sequential.fromJSON: layers must be a non-empty array, got ${describe(root.layers)}`);
  }
  const specs = root.layers.map((l: unknown, i) => record(l, `layers[${i}]`));
  const layers = specs.map((spec, i) => layerFromSpec(spec, `layers[${i}]`));
  let model: Sequential;
  try {
    model = new Sequential(layers, { seed, dtype });
  } catch (e) {
    if (e instanceof TinyDenseError) throw new FormatError(`Sequential.fromJSON: the layers do not fit together: ${e.message}`);
    throw e;
  }
  // Check every parameter array before writing any of them.
  const values = layers.flatMap((layer, i) => {
    const saved = specs[i]?.weights;
    const parameters = layer.parameters();
    if (parameters.length === 0) return [];
    const weights = record(saved, `layers[${i}].weights`);
    return parameters.map((p) => {
      const path = `layers[${i}].weights.${p.name}`;
      const v = weights[p.name];
      if (!Array.isArray(v) || v.length !== p.value.data.length) {
        throw new FormatError(`Sequential.fromJSON: ${path} must be ${p.value.data.length} numbers, got ${describe(v)}`);
      }
      const bad = v.findIndex((x: unknown) => typeof x !== 'number' || !Number.isFinite(x));
      if (bad !== -1) throw new FormatError(`Sequential.fromJSON: ${path}[${bad}] is ${describe(v[bad])}, not a finite number`);
      return [p, v as number[]] as const;
    });
  });
  for (const [p, v] of values) p.value.data.set(v);
  return model;
}

function layerFromSpec(spec: Record<string, unknown>, path: string): Layer {
  const kind = spec.kind as LayerSpec['kind'];
  switch (kind) {
    case 'dense': {
      const config = record(spec.config, `${path}.config`);
      try {
        return new Dense(config.inputs as number, config.outputs as number, { init: config.init as DenseInit });
      } catch (e) {
        if (e instanceof TinyDenseError) throw new FormatError(`Sequential.fromJSON: ${path}.config: ${e.message}`);
        throw e;
      }
    }
    case 'sigmoid':
      return new Sigmoid();
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'softmax':
      return new Softmax();
    default: {
      const unknownKind: never = kind;
      throw new FormatError(`Sequential.fromJSON: ${path}.kind ${describe(unknownKind)} is not a layer this tinydense knows`);
    }
  }
}

function record(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError(`Sequential.fromJSON: ${path} must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}
