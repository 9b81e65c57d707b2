/**
 * tinydense/interop: models out to other runtimes and in from them, ONNX and
 * TensorFlow.js's layers format. A separate entry, so the core stays small for
 * those who never export; like the core it has no dependencies and runs in
 * browsers and Node alike.
 *
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { toOnnx, toTfjs } from 'tinydense/interop';
 * const model = new Sequential([new Dense(2, 1), new Sigmoid()]);
 * const onnx = toOnnx(model);  // bytes for onnxruntime
 * const tfjs = toTfjs(model);  // artifacts for tf.io.fromMemory
 * ```
 *
 * @module tinydense/interop
 */
export { toOnnx, fromOnnx, ONNX_IR_VERSION, ONNX_OPSET, type FromOnnxOptions } from './onnx.js';
export { toTfjs, fromTfjs, type TfjsArtifacts, type TfjsWeightSpec, type FromTfjsOptions } from './tfjs.js';
