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
import { Dropout } from '../layers/dropout.js';
import { Normalization } from '../layers/normalization.js';
import { ELU } from '../activations/elu.js';
import { LeakyReLU } from '../activations/leaky-relu.js';
import { ReLU } from '../activations/relu.js';
import { Sigmoid } from '../activations/sigmoid.js';
import { Softmax } from '../activations/softmax.js';
import { Tanh } from '../activations/tanh.js';
import { FormatError, TinyDenseError, describe } from '../errors.js';
import type { DenseInit, Layer, LayerSpec } from '../layers/layer.js';
import type { DType } from '../tensor.js';

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
  /** [min, max] of the inputs the model was trained on, if it was trained. */
  readonly inputRange?: readonly [number, number];
  /** The name of each output's class, if given. */
  readonly classNames?: readonly string[];
  /** Free-form data kept with the model (e.g. a table's encoding), if given. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A model file, checked and parsed: its layers built (not yet initialised) and its saved values. */
export interface ModelSpec {
  /** The parameters' dtype. */
  readonly dtype: DType;
  /** The model's seed. */
  readonly seed: number;
  /** New layers as the file describes them, first to last. */
  readonly layers: readonly Layer[];
  /** Each layer's saved parameters by name, checked against its config (empty for layers without parameters). */
  readonly weights: readonly Readonly<Record<string, readonly number[]>>[];
  /** [min, max] of the training inputs, if saved. */
  readonly inputRange: readonly [number, number] | undefined;
  /** The classes' names, if saved (checked against the layers by the model). */
  readonly classNames: readonly string[] | undefined;
  /** The free-form metadata, if saved. */
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Writes a model as plain data.
 *
 * @param layers - The model's layers.
 * @param model - Its dtype, seed and input range.
 * @returns Its {@link ModelJSON}.
 * @throws {@link FormatError} if a layer (a custom one) has no `toSpec`.
 */
export function modelToJSON(
  layers: readonly Layer[],
  model: {
    readonly dtype: DType;
    readonly seed: number;
    readonly inputRange: readonly [number, number] | undefined;
    readonly classNames?: readonly string[] | undefined;
    readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  },
): ModelJSON {
  const layersJSON = layers.map((layer, i): LayerJSON => {
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
  const json = { format: MODEL_FORMAT, version: MODEL_VERSION, dtype: model.dtype, seed: model.seed, layers: layersJSON } as const;
  return {
    ...json,
    ...(model.inputRange === undefined ? {} : { inputRange: [model.inputRange[0], model.inputRange[1]] as const }),
    ...(model.classNames === undefined ? {} : { classNames: [...model.classNames] }),
    ...(model.metadata === undefined ? {} : { metadata: model.metadata }),
  };
}

/**
 * Checks and parses {@link ModelJSON} (or its JSON text) into a {@link ModelSpec},
 * from which `Sequential.fromJSON` builds the model. Everything is checked here,
 * so a malformed or mismatched file never gives a half-loaded model.
 *
 * @param json - The JSON text or the parsed object.
 * @returns The parsed model.
 * @throws {@link FormatError} naming the offending field.
 */
export function parseModelJSON(json: unknown): ModelSpec {
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
  const inputRange = root.inputRange;
  if (
    inputRange !== undefined &&
    !(Array.isArray(inputRange) && inputRange.length === 2 && inputRange.every((v: unknown) => typeof v === 'number' && Number.isFinite(v)) && inputRange[0] <= inputRange[1])
  ) {
    throw new FormatError(`Sequential.fromJSON: inputRange must be [min, max] with min ≤ max, got ${describe(inputRange)}`);
  }
  const specs = root.layers.map((l: unknown, i) => record(l, `layers[${i}]`));
  const layers = specs.map((spec, i) => layerFromSpec(spec, `layers[${i}]`));
  // Every saved array is checked against its layer's config before anything is
  // allocated, so a config claiming a huge layer cannot exhaust memory.
  const saved = layers.map((layer, i) => {
    const sizes = parameterSizes(layer);
    const names = Object.keys(sizes);
    if (names.length === 0) return {};
    const weights = record(specs[i]?.weights, `layers[${i}].weights`);
    const arrays: Record<string, number[]> = {};
    for (const name of names) {
      const path = `layers[${i}].weights.${name}`;
      const v = weights[name];
      if (!Array.isArray(v) || v.length !== sizes[name]) {
        throw new FormatError(`Sequential.fromJSON: ${path} must be ${sizes[name]} numbers, got ${describe(v)}`);
      }
      const bad = v.findIndex((x: unknown) => typeof x !== 'number' || !Number.isFinite(x));
      if (bad !== -1) throw new FormatError(`Sequential.fromJSON: ${path}[${bad}] is ${describe(v[bad])}, not a finite number`);
      arrays[name] = v as number[];
    }
    return arrays;
  });
  const { classNames, metadata } = root;
  if (classNames !== undefined && !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string'))) {
    throw new FormatError(`Sequential.fromJSON: classNames must be an array of strings, got ${describe(classNames)}`);
  }
  if (metadata !== undefined) record(metadata, 'metadata');
  return {
    dtype,
    seed,
    layers,
    weights: saved,
    inputRange: inputRange === undefined ? undefined : [inputRange[0] as number, inputRange[1] as number],
    classNames: classNames as string[] | undefined,
    metadata: metadata as Record<string, unknown> | undefined,
  };
}

/** The number of values each parameter of a built-in layer has, from its config alone. */
function parameterSizes(layer: Layer): Record<string, number> {
  return layer instanceof Dense ? { weights: layer.inputs * layer.outputs, biases: layer.outputs } : {};
}

function layerFromSpec(spec: Record<string, unknown>, path: string): Layer {
  const kind = spec.kind as LayerSpec['kind'];
  // A layer's constructor checks its own arguments; its error becomes a FormatError naming the path.
  const build = (make: (config: Record<string, unknown>) => Layer): Layer => {
    const config = record(spec.config, `${path}.config`);
    try {
      return make(config);
    } catch (e) {
      if (e instanceof TinyDenseError) throw new FormatError(`Sequential.fromJSON: ${path}.config: ${e.message}`);
      throw e;
    }
  };
  switch (kind) {
    case 'dense':
      return build((c) => new Dense(c.inputs as number, c.outputs as number, { init: c.init as DenseInit }));
    case 'sigmoid':
      return new Sigmoid();
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'softmax':
      return new Softmax();
    case 'leaky-relu':
      return build((c) => new LeakyReLU({ alpha: c.alpha as number }));
    case 'elu':
      return build((c) => new ELU({ alpha: c.alpha as number }));
    case 'dropout':
      return build((c) => new Dropout(c.rate as number));
    case 'normalization':
      return build((c) => {
        if (c.mean === undefined || c.variance === undefined) throw new FormatError('mean and variance are required');
        return new Normalization({ mean: c.mean as number[], variance: c.variance as number[], invert: c.invert as boolean });
      });
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
