/**
 * Finding where NaN or Infinity first appeared during training, for the
 * message of a {@link NonFiniteError}. Runs only once something went wrong.
 *
 * @module
 */
import type { Layer, Parameter } from '../layers/layer.js';
import type { Tensor } from '../tensor.js';

/**
 * Whether every element is finite (neither NaN nor ±Infinity).
 *
 * @param data - The values.
 * @returns True when all are finite.
 */
export function allFinite(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    // v − v is NaN exactly for NaN and ±Infinity.
    if (v - v !== 0) return false;
  }
  return true;
}

/**
 * Whether every parameter's gradient (or value) is finite.
 *
 * @param parameters - The parameters.
 * @param which - `'grad'` or `'value'`.
 * @returns True when all are finite.
 */
export function parametersFinite(parameters: readonly Parameter[], which: 'grad' | 'value'): boolean {
  for (const p of parameters) if (!allFinite(p[which].data)) return false;
  return true;
}

/**
 * The first layer whose output, or else whose parameter gradient, is not finite.
 *
 * @param layers - The layers, first to last, after a forward and backward pass on `x`.
 * @param x - The batch that produced the non-finite value.
 * @returns A description such as `the output of layer 2 (Dense(30→10))`, or `the loss`.
 */
export function locateNonFinite(layers: readonly Layer[], x: Tensor): string {
  const grads = layers.map((layer) => layer.parameters().every((p) => allFinite(p.grad.data)));
  let activation = x;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as Layer;
    activation = layer.forward(activation);
    if (!allFinite(activation.data)) return `the output of layer ${i} (${layer.name})`;
  }
  const bad = grads.indexOf(false);
  return bad === -1 ? 'the loss' : `the gradient of layer ${bad} (${(layers[bad] as Layer).name})`;
}
