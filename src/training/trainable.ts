/**
 * What training needs of a model: its layers, parameters and RNG, and nothing of
 * how the model is built or saved (`Sequential` is one).
 *
 * @module
 */
import type { Layer, Parameter } from '../layers/layer.js';
import type { Rng } from '../rng.js';
import type { DType, Tensor, TensorLike } from '../tensor.js';

/** A model as the training loop sees it. */
export interface Trainable {
  /** The layers, first to last. */
  readonly layers: readonly Layer[];
  /** The dtype of parameters and activations. */
  readonly dtype: DType;
  /** The model's seed (it seeds `validationSplit`'s shuffle). */
  readonly seed: number;
  /** The RNG that shuffles the training set. */
  readonly rng: Rng;
  /** The number of input features. */
  readonly inputWidth: number;
  /** The number of outputs. */
  readonly outputWidth: number;
  /** [min, max] of the inputs of the first training run, once trained. */
  inputRange: readonly [number, number] | undefined;
  /** Every trainable parameter with its gradient, in layer order. */
  parameters(): Parameter[];
  /** Copies of the parameters, in the order of `parameters()`. */
  getWeights(): Tensor[];
  /** Replaces the parameters, in the order of `parameters()`. */
  setWeights(weights: readonly TensorLike[]): void;
}
