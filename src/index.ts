/**
 * tinydense: small dense neural networks in TypeScript, with no runtime
 * dependencies and no Node built-ins, so the same code runs in Node and browsers.
 *
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * const model = new Sequential([new Dense(2, 4), new Sigmoid(), new Dense(4, 1), new Sigmoid()], { seed: 1 });
 * ```
 *
 * @module tinydense
 */
export { Tensor, type DType, type Shape, type TensorData, type TensorLike, type TensorRow } from './tensor.js';
export { Rng } from './rng.js';
export { ThreadPool, startWebThreads, type WorkerHandle, type WorkerEndpoint } from './backend/public.js';
export { TinyDenseError, ShapeError, DataError, OptionError, FormatError, StateError, NonFiniteError, formatShape } from './errors.js';
export type {
  Layer, Parameter, LayerSpec, DenseSpec, DenseConfig, ActivationSpec, LeakyReLUSpec, ELUSpec, DropoutSpec, NormalizationSpec, DenseInit,
} from './layers/layer.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export { Normalization, type NormalizationOptions } from './layers/normalization.js';
export { Activation } from './activations/activation.js';
export { Sigmoid } from './activations/sigmoid.js';
export { ReLU } from './activations/relu.js';
export { Tanh } from './activations/tanh.js';
export { Softmax } from './activations/softmax.js';
export { LeakyReLU, type LeakyReLUOptions } from './activations/leaky-relu.js';
export { ELU, type ELUOptions } from './activations/elu.js';
export type { Loss } from './losses/loss.js';
export { QuadraticLoss } from './losses/quadratic.js';
export { CrossEntropyLoss } from './losses/cross-entropy.js';
export { CategoricalCrossEntropyLoss } from './losses/categorical-cross-entropy.js';
export type { Optimizer, OptimizerState, OptimizerSnapshot, StepContext } from './optimizers/optimizer.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { Adam, type AdamOptions } from './optimizers/adam.js';
export { Sequential, type SequentialOptions, type PredictOptions, type Evaluation } from './model/sequential.js';
export type { FitOptions } from './training/options.js';
export type { TrainOnBatchOptions } from './training/step.js';
export { epochLine, type FitReporter } from './training/verbose.js';
export type { EpochRecord, BatchRecord, History, ValidationSplit } from './training/history.js';
export type { LossName } from './losses/names.js';
export type { OptimizerName } from './optimizers/names.js';
export type { EarlyStoppingOptions } from './training/early-stopping.js';
export { stepDecay, exponentialDecay, type LearningRateSchedule } from './training/schedules.js';
export {
  createCheckpoint, restoreCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type CheckpointJSON,
} from './model/checkpoint.js';
export { MODEL_FORMAT, MODEL_VERSION, type ModelJSON, type LayerJSON, type LayerWeights } from './model/serialization.js';
export { oneHot } from './one-hot.js';
export {
  learnTableEncoding, encodeTable, encodedColumnNames,
  type TableEncoding, type ColumnEncoding, type TableColumns, type EncodeTableOptions, type EncodedTable,
} from './table-encoding.js';
export { accuracy } from './accuracy.js';
export { meanAbsoluteError, rootMeanSquaredError, r2Score, isClassLabels } from './regression-metrics.js';
export { confusionMatrix, type ConfusionMatrix } from './confusion-matrix.js';
export { gradCheck, type GradCheckOptions } from './grad-check.js';
export { trace, type Trace, type TraceLayer, type TraceValues } from './model/trace.js';
