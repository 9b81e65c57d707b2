/**
 * TensorFlow.js's layers format out and in: what `tf.io.fromMemory` and
 * `tf.loadLayersModel` take, and what `model.save` writes.
 *
 * @module
 */
import {
  Dense, Dropout, ELU, FormatError, LeakyReLU, Normalization, ReLU, Sequential, Sigmoid, Softmax, Tanh, Tensor, TinyDenseError,
  type DType, type Layer,
} from 'tinydense';

/** One weight in {@link TfjsArtifacts.weightSpecs}: its name, shape and dtype. */
export interface TfjsWeightSpec {
  /** E.g. `dense_1/kernel`. */
  readonly name: string;
  /** E.g. `[784, 30]`. */
  readonly shape: readonly number[];
  /** Always `'float32'` here. */
  readonly dtype: 'float32';
}

/** A layers model as TensorFlow.js holds it in memory (`tf.io.ModelArtifacts`, the parts used here). */
export interface TfjsArtifacts {
  /** The Keras model JSON: `{ class_name: 'Sequential', config: { layers } }`. */
  readonly modelTopology: Readonly<Record<string, unknown>>;
  /** The weights, in the order their bytes follow one another in `weightData`. */
  readonly weightSpecs: readonly TfjsWeightSpec[];
  /** The weights' values, little-endian float32, one after another. */
  readonly weightData: ArrayBuffer;
}

const ACTIVATIONS = new Map<string, () => Layer>([
  ['sigmoid', () => new Sigmoid()],
  ['relu', () => new ReLU()],
  ['tanh', () => new Tanh()],
  ['softmax', () => new Softmax()],
  ['elu', () => new ELU()],
]);

/**
 * The model in TensorFlow.js's layers format: a Keras `Sequential` of `Dense`
 * layers (tinydense's W is already Keras' kernel, `[inputs, outputs]`),
 * `Activation` layers, `LeakyReLU`, `ELU` (α = 1 only: TF.js's takes no other)
 * and `Dropout`. A `Normalization`, which
 * TF.js's layers lack, becomes the `BatchNormalization` that computes the same
 * function at inference (ε = 0; when it inverts, gamma = σ and beta = mean).
 * Weights are float32 (a float64 model is rounded). Give the result to
 * `tf.loadLayersModel(tf.io.fromMemory(artifacts))`, or save it with `saveTfjs`
 * (`tinydense/node`).
 *
 * @param model - The model.
 * @returns The artifacts.
 * @throws `FormatError` for a layer with no TF.js form (a custom layer, an unadapted Normalization).
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { toTfjs } from 'tinydense/interop';
 * const { modelTopology, weightSpecs, weightData } = toTfjs(new Sequential([new Dense(2, 1), new Sigmoid()]));
 * // const tfModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
 * ```
 */
export function toTfjs(model: Sequential): TfjsArtifacts {
  const layers: Record<string, unknown>[] = [];
  const weightSpecs: TfjsWeightSpec[] = [];
  const values: number[] = [];
  const counts = new Map<string, number>();
  const name = (kind: string): string => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    return `${kind}_${n}`;
  };
  const common = (layerName: string): Record<string, unknown> => ({
    name: layerName,
    trainable: true,
    dtype: 'float32',
    ...(layers.length === 0 ? { batch_input_shape: [null, model.inputWidth] } : {}),
  });
  const dense = (layerName: string, inputs: number, outputs: number, kernel: ArrayLike<number>, bias: ArrayLike<number>): void => {
    layers.push({
      class_name: 'Dense',
      config: {
        ...common(layerName), units: outputs, activation: 'linear', use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
    });
    weightSpecs.push({ name: `${layerName}/kernel`, shape: [inputs, outputs], dtype: 'float32' }, { name: `${layerName}/bias`, shape: [outputs], dtype: 'float32' });
    for (let i = 0; i < kernel.length; i++) values.push(kernel[i] as number);
    for (let i = 0; i < bias.length; i++) values.push(bias[i] as number);
  };
  model.layers.forEach((layer, i) => {
    if (layer instanceof Dense) dense(name('dense'), layer.inputs, layer.outputs, layer.weights.data, layer.biases.data);
    else if (layer instanceof Sigmoid || layer instanceof ReLU || layer instanceof Tanh || layer instanceof Softmax) {
      layers.push({ class_name: 'Activation', config: { ...common(name('activation')), activation: layer.name.toLowerCase() } });
    } else if (layer instanceof LeakyReLU) layers.push({ class_name: 'LeakyReLU', config: { ...common(name('leaky_re_lu')), alpha: layer.alpha } });
    else if (layer instanceof ELU) {
      if (layer.alpha !== 1) throw new FormatError(`toTfjs: layer ${i} (${layer.name}): TensorFlow.js's ELU layer takes only alpha = 1`);
      layers.push({ class_name: 'ELU', config: { ...common(name('elu')), alpha: 1 } });
    }
    else if (layer instanceof Dropout) layers.push({ class_name: 'Dropout', config: { ...common(name('dropout')), rate: layer.rate, noise_shape: null, seed: null } });
    else if (layer instanceof Normalization && layer.mean !== undefined && layer.variance !== undefined) {
      // TF.js's layers have no Normalization: a BatchNormalization in inference
      // computes (x − moving_mean)·gamma/√(moving_variance + ε) + beta, which is
      // one with ε = 0; inverted, gamma = σ and beta = mean over a mean of 0 and a variance of 1.
      const { mean, variance } = layer;
      const layerName = name('batch_normalization');
      const unit = (v: number): number => (v > 0 ? v : 1); // tinydense takes σ = 1 for a constant feature
      const invert = layer.invert;
      layers.push({
        class_name: 'BatchNormalization',
        config: {
          ...common(layerName), trainable: false, axis: -1, momentum: 0.99, epsilon: 0, center: invert, scale: invert,
          beta_initializer: { class_name: 'Zeros', config: {} }, gamma_initializer: { class_name: 'Ones', config: {} },
          moving_mean_initializer: { class_name: 'Zeros', config: {} }, moving_variance_initializer: { class_name: 'Ones', config: {} },
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
        },
      });
      const width = mean.length;
      const add = (kind: string, v: readonly number[]): void => {
        weightSpecs.push({ name: `${layerName}/${kind}`, shape: [width], dtype: 'float32' });
        values.push(...v);
      };
      if (invert) {
        add('gamma', variance.map((v) => Math.sqrt(unit(v))));
        add('beta', mean);
        add('moving_mean', mean.map(() => 0));
        add('moving_variance', mean.map(() => 1));
      } else {
        add('moving_mean', mean);
        add('moving_variance', variance.map(unit));
      }
    } else {
      throw new FormatError(`toTfjs: layer ${i} (${layer.name}) has no TensorFlow.js form${layer instanceof Normalization ? ' (it was never adapted)' : ''}`);
    }
  });
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    weightSpecs,
    weightData: Float32Array.from(values).buffer,
  };
}

/** Options of {@link fromTfjs}. */
export interface FromTfjsOptions {
  /** The dtype of the model built (default `'float32'`). */
  readonly dtype?: DType;
}

/**
 * A TensorFlow.js (or Keras) `Sequential` of dense layers as a tinydense model:
 * `Dense` (with its fused `activation`: linear, sigmoid, relu, tanh, softmax or
 * elu), `Activation`, `ReLU`, `Softmax`, `LeakyReLU`, `ELU`, `Dropout`,
 * `BatchNormalization` (as one or two `Normalization` layers: inference only,
 * gamma ≥ 0), and `InputLayer`; anything else is a `FormatError` naming the layer
 * and its class.
 * The weights must be float32, unquantised, in `weightData` in `weightSpecs`
 * order. Everything is checked before the model is built.
 *
 * @param artifacts - `{ modelTopology, weightSpecs, weightData }`, as TF.js's `model.save` hands them to a save handler, or as {@link toTfjs} returns them.
 * @param options - See {@link FromTfjsOptions}.
 * @returns The model.
 * @throws `FormatError` naming what is missing, malformed or unsupported.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { fromTfjs, toTfjs } from 'tinydense/interop';
 * const copy = fromTfjs(toTfjs(new Sequential([new Dense(2, 1), new Sigmoid()])));
 * ```
 */
export function fromTfjs(artifacts: TfjsArtifacts, options: FromTfjsOptions = {}): Sequential {
  const where = 'fromTfjs';
  if (typeof artifacts !== 'object' || artifacts === null) throw new FormatError(`${where}: expected { modelTopology, weightSpecs, weightData }`);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new FormatError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const topology = object(artifacts.modelTopology, 'modelTopology');
  const modelConfig = topology.model_config === undefined ? topology : object(topology.model_config, 'modelTopology.model_config');
  if (modelConfig.class_name !== 'Sequential') throw new FormatError(`${where}: only a Sequential model can be read, got class_name ${JSON.stringify(modelConfig.class_name)}`);
  const config = modelConfig.config;
  const layerList = Array.isArray(config) ? config : object(config, 'modelTopology.config').layers;
  if (!Array.isArray(layerList) || layerList.length === 0) throw new FormatError(`${where}: modelTopology.config.layers must be a non-empty array`);
  const specs = artifacts.weightSpecs;
  if (!Array.isArray(specs)) throw new FormatError(`${where}: weightSpecs must be an array`);
  if (!(artifacts.weightData instanceof ArrayBuffer)) throw new FormatError(`${where}: weightData must be an ArrayBuffer`);
  // each weight's values, by name, checked against the bytes there are
  const weights = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  specs.forEach((s: unknown, i) => {
    const spec = object(s, `weightSpecs[${i}]`);
    const shape = spec.shape;
    if (typeof spec.name !== 'string' || !Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new FormatError(`${where}: weightSpecs[${i}] must have a name and a shape of non-negative integers`);
    }
    if (spec.dtype !== 'float32' || spec.quantization !== undefined) throw new FormatError(`${where}: weightSpecs[${i}] (${spec.name}) must be unquantised float32, got ${JSON.stringify(spec.dtype)}`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (offset + 4 * size > artifacts.weightData.byteLength) {
      throw new FormatError(`${where}: weightData has ${artifacts.weightData.byteLength} bytes, too few for weightSpecs[${i}] (${spec.name}) at byte ${offset}`);
    }
    const values = new Float32Array(artifacts.weightData.slice(offset, offset + 4 * size));
    if (!values.every(Number.isFinite)) throw new FormatError(`${where}: ${spec.name} holds a value that is not finite`);
    weights.set(spec.name, { shape: shape as number[], values });
    offset += 4 * size;
  });
  const find = (layerName: string, kind: string): { shape: number[]; values: Float32Array } | undefined => {
    const exact = weights.get(`${layerName}/${kind}`);
    if (exact !== undefined) return exact;
    for (const [n, w] of weights) if (n.endsWith(`/${layerName}/${kind}`)) return w;
    return undefined;
  };
  const layers: Layer[] = [];
  const params: Tensor[] = []; // each Dense's kernel and bias, in layer order, as setWeights takes them
  layerList.forEach((entry: unknown, i) => {
    const layer = object(entry, `layers[${i}]`);
    const cfg = object(layer.config, `layers[${i}].config`);
    const layerName = typeof cfg.name === 'string' ? cfg.name : `layer ${i}`;
    const at = `${where}: layer ${i} (${layerName}, ${String(layer.class_name)})`;
    const activation = (value: unknown): void => {
      if (value === undefined || value === null || value === 'linear') return;
      const make = typeof value === 'string' ? ACTIVATIONS.get(value) : undefined;
      if (make === undefined) throw new FormatError(`${at}: activation ${JSON.stringify(value)} is not one tinydense has (linear, sigmoid, relu, tanh, softmax, elu)`);
      layers.push(make());
    };
    const build = (make: () => Layer): void => {
      try {
        layers.push(make());
      } catch (e) {
        if (e instanceof TinyDenseError) throw new FormatError(`${at}: ${e.message}`);
        throw e;
      }
    };
    switch (layer.class_name) {
      case 'InputLayer':
        return;
      case 'Dense': {
        const kernel = find(layerName, 'kernel');
        if (kernel === undefined || kernel.shape.length !== 2) throw new FormatError(`${at}: no 2-D weight ${layerName}/kernel in weightSpecs`);
        const [inputs, outputs] = kernel.shape as [number, number];
        const useBias = (cfg.use_bias ?? cfg.useBias ?? true) !== false;
        const bias = useBias ? find(layerName, 'bias') : undefined;
        if (useBias && (bias === undefined || bias.values.length !== outputs)) throw new FormatError(`${at}: no weight ${layerName}/bias of ${outputs} values in weightSpecs`);
        build(() => new Dense(inputs, outputs));
        params.push(new Tensor(kernel.values, [inputs, outputs]), new Tensor(bias?.values ?? new Float32Array(outputs), [1, outputs]));
        activation(cfg.activation);
        return;
      }
      case 'Activation':
        activation(cfg.activation);
        return;
      case 'ReLU':
        if (cfg.max_value !== undefined && cfg.max_value !== null) throw new FormatError(`${at}: a ReLU with a max_value is not one tinydense has`);
        build(() => new ReLU());
        return;
      case 'Softmax':
        build(() => new Softmax());
        return;
      case 'LeakyReLU':
        build(() => new LeakyReLU({ alpha: (cfg.alpha as number | undefined) ?? 0.3 }));
        return;
      case 'ELU':
        build(() => new ELU({ alpha: (cfg.alpha as number | undefined) ?? 1 }));
        return;
      case 'Dropout':
        build(() => new Dropout(cfg.rate as number));
        return;
      case 'BatchNormalization': {
        const axis = cfg.axis ?? -1;
        if (axis !== -1 && axis !== 1 && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 1))) {
          throw new FormatError(`${at}: only the feature axis can be normalised, got axis ${JSON.stringify(axis)}`);
        }
        const epsilon = typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3;
        const vector = (kind: string): number[] => {
          const w = find(layerName, kind);
          if (w === undefined) throw new FormatError(`${at}: no weight ${layerName}/${kind} in weightSpecs`);
          return Array.from(w.values);
        };
        const mean = vector('moving_mean');
        const variance = vector('moving_variance').map((v) => v + epsilon);
        const scaled = (cfg.scale ?? true) !== false;
        const centered = (cfg.center ?? true) !== false;
        const gamma = scaled ? vector('gamma') : mean.map(() => 1);
        const beta = centered ? vector('beta') : mean.map(() => 0);
        if ([variance, gamma, beta].some((v) => v.length !== mean.length)) throw new FormatError(`${at}: its weights differ in length`);
        if (gamma.some((g) => g < 0)) throw new FormatError(`${at}: a negative gamma has no Normalization form`);
        const identityFirst = mean.every((m) => m === 0) && variance.every((v) => v === 1);
        const identitySecond = gamma.every((g) => g === 1) && beta.every((b) => b === 0);
        if (!identityFirst || identitySecond) build(() => new Normalization({ mean, variance }));
        if (!identitySecond) build(() => new Normalization({ mean: beta, variance: gamma.map((g) => g * g), invert: true }));
        return;
      }
      default:
        throw new FormatError(`${at}: the layer class ${JSON.stringify(layer.class_name)} is not one tinydense reads (Dense, Activation, ReLU, Softmax, LeakyReLU, ELU, Dropout, BatchNormalization, InputLayer)`);
    }
  });
  let model: Sequential;
  try {
    model = new Sequential(layers, { dtype });
    model.setWeights(params);
  } catch (e) {
    if (e instanceof TinyDenseError && !(e instanceof FormatError)) throw new FormatError(`${where}: the layers do not fit together: ${e.message}`);
    throw e;
  }
  return model;
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError(`fromTfjs: ${path} must be an object`);
  return v as Record<string, unknown>;
}
