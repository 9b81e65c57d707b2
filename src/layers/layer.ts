/**
 * The `Layer` contract: what `Sequential` needs from each of its layers.
 *
 * @module
 */
import type { Rng } from '../rng.js';
import type { DType, Tensor } from '../tensor.js';

/**
 * One trainable tensor of a layer together with the gradient accumulated for it.
 * A layer owns both; an optimizer only reads `grad` and updates `value`.
 */
export interface Parameter {
  /** `'weights'` or `'biases'` for `Dense`; any name for a custom layer. */
  readonly name: string;
  /** The parameter's current value, updated in place by optimizers. */
  readonly value: Tensor;
  /** ∂C/∂value, same shape as `value`; `backward` adds into it, `Sequential` zeroes it. */
  readonly grad: Tensor;
  /** Whether L2 weight decay applies (true for weights, false for biases, as in the book). */
  readonly decay: boolean;
}

/**
 * The plain-data description of a built-in layer: its kind and its constructor
 * arguments (Keras' `get_config`). See {@link Sequential.toJSON}.
 */
export type LayerSpec = DenseSpec | ActivationSpec | LeakyReLUSpec | ELUSpec | DropoutSpec | NormalizationSpec;

/** {@link LayerSpec} of a `Dense` layer: `new Dense(inputs, outputs, { init })`. */
export interface DenseSpec {
  /** Always `'dense'`. */
  readonly kind: 'dense';
  /** The constructor arguments. */
  readonly config: DenseConfig;
}

/** The constructor arguments of a `Dense` layer. */
export interface DenseConfig {
  /** The input width. */
  readonly inputs: number;
  /** The number of neurons. */
  readonly outputs: number;
  /** The initialisation scheme. */
  readonly init: DenseInit;
}

/** {@link LayerSpec} of a built-in activation, which has no arguments. */
export interface ActivationSpec {
  /** Which activation. */
  readonly kind: 'sigmoid' | 'relu' | 'tanh' | 'softmax';
}

/** {@link LayerSpec} of a `LeakyReLU`: `new LeakyReLU({ alpha })`. */
export interface LeakyReLUSpec {
  /** Always `'leaky-relu'`. */
  readonly kind: 'leaky-relu';
  /** The constructor arguments. */
  readonly config: {
    /** The slope for z ≤ 0. */
    readonly alpha: number;
  };
}

/** {@link LayerSpec} of an `ELU`: `new ELU({ alpha })`. */
export interface ELUSpec {
  /** Always `'elu'`. */
  readonly kind: 'elu';
  /** The constructor arguments. */
  readonly config: {
    /** The scale of the negative part. */
    readonly alpha: number;
  };
}

/** {@link LayerSpec} of a `Dropout`: `new Dropout(rate)`. */
export interface DropoutSpec {
  /** Always `'dropout'`. */
  readonly kind: 'dropout';
  /** The constructor arguments. */
  readonly config: {
    /** The probability of dropping each value while training. */
    readonly rate: number;
  };
}

/** {@link LayerSpec} of an adapted `Normalization`: `new Normalization({ mean, variance, invert })`. */
export interface NormalizationSpec {
  /** Always `'normalization'`. */
  readonly kind: 'normalization';
  /** The constructor arguments: what `adapt` learned, and the direction. */
  readonly config: {
    /** Each feature's mean. */
    readonly mean: readonly number[];
    /** Each feature's (population) variance. */
    readonly variance: readonly number[];
    /** Whether the layer maps from standard units back to the data's. */
    readonly invert: boolean;
  };
}

/**
 * How `Dense` draws its initial parameters:
 * - `'nielsen-large'`: weights and biases from N(0, 1) (the book's chapter 1);
 * - `'nielsen'`: weights from N(0, 1/inputs), biases from N(0, 1) (chapter 3);
 * - `'xavier'`: weights from U(−√(6/(inputs+outputs)), +√(6/(inputs+outputs))), biases 0 (Glorot);
 * - `'he'`: weights from N(0, 2/inputs), biases 0 (for ReLU layers).
 */
export type DenseInit = 'nielsen-large' | 'nielsen' | 'xavier' | 'he';

/**
 * A layer of a {@link Sequential} network. Inputs and outputs are tensors whose
 * rows are samples.
 *
 * Contract: `backward(outputGrad)` is called after `forward(x)` with
 * `outputGrad = ∂C/∂output`; it returns `∂C/∂x` and **adds** each parameter's
 * gradient into `parameter.grad`. It uses only what `forward` cached. A returned
 * tensor may be a buffer the layer reuses on its next call: copy it to keep it.
 *
 * @example
 * ```ts
 * import { Dense, Rng, Tensor } from 'tinydense';
 * const layer = new Dense(2, 1);
 * layer.initialize(new Rng(0), 'float64');
 * const y = layer.forward(Tensor.from([[1, 2]], 'float64'));
 * const dx = layer.backward(Tensor.from([[1]], 'float64')); // ∂C/∂x, shape [1, 2]
 * ```
 */
export interface Layer {
  /** A short human-readable name, e.g. `Dense(784→30)`, used in summaries and errors. */
  readonly name: string;
  /** The input width the layer requires, if it fixes one (`Dense` and an adapted `Normalization` do; activations do not). */
  readonly inputWidth?: number | undefined;
  /**
   * The output width for a given input width.
   *
   * @param inputWidth - The width of the input.
   * @returns The width of the output.
   * @throws {@link ShapeError} if the layer cannot take that width.
   */
  outputWidth(inputWidth: number): number;
  /**
   * Allocates and draws the parameters (a layer without parameters may omit it).
   * `Sequential` calls it once, in layer order, with the model's RNG and dtype.
   *
   * @param rng - The random source for initial values.
   * @param dtype - The dtype of the parameters.
   */
  initialize?(rng: Rng, dtype: DType): void;
  /**
   * Computes the layer's output and caches what `backward` needs.
   *
   * @param x - Input, shape `[batch, inputWidth]`.
   * @param training - True when the training loop calls it (Keras' `training`
   *   argument): a layer that behaves differently while training, such as
   *   `Dropout`, reads it; `predict`, `evaluate` and `gradients` leave it false.
   * @returns Output, shape `[batch, outputWidth]`.
   */
  forward(x: Tensor, training?: boolean): Tensor;
  /**
   * Backpropagates: adds ∂C/∂parameter into each gradient and returns ∂C/∂input.
   *
   * @param outputGrad - ∂C/∂output, shape `[batch, outputWidth]`.
   * @returns ∂C/∂input, shape `[batch, inputWidth]`.
   */
  backward(outputGrad: Tensor): Tensor;
  /**
   * Adds ∂C/∂parameter into each gradient like `backward`, without computing
   * ∂C/∂input. Optional: `Sequential` calls it for the first layer, whose input
   * gradient training never needs (for a wide input, most of the work).
   *
   * @param outputGrad - ∂C/∂output, shape `[batch, outputWidth]`.
   */
  accumulateGradients?(outputGrad: Tensor): void;
  /**
   * The trainable parameters, each with its gradient.
   *
   * @returns The parameters (empty for activations).
   */
  parameters(): Parameter[];
  /**
   * The layer's plain-data description, for `toJSON` (built-in layers only; a
   * model containing a custom layer without it cannot be serialized).
   *
   * @returns The layer's kind and constructor arguments.
   */
  toSpec?(): LayerSpec;
}
