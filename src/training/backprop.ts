/**
 * The forward and backward passes through a stack of layers: backpropagation
 * for a whole mini-batch at once, one matrix per layer.
 *
 * @module
 */
import type { Layer, Parameter } from '../layers/layer.js';
import type { Loss } from '../losses/loss.js';
import type { Tensor } from '../tensor.js';

/**
 * Feeds a batch forward through the layers (the book's feedforward, eq. 25
 * a^l = σ(w^l a^(l−1) + b^l), one layer object per step).
 *
 * @param layers - The layers, first to last.
 * @param x - The input batch (of layer `from`).
 * @param from - The first layer to run (default 0; 1 when the caller ran the first itself).
 * @returns The last layer's output (a buffer the layer reuses).
 */
export function forwardPass(layers: readonly Layer[], x: Tensor, from = 0): Tensor {
  let activation = x;
  for (let l = from; l < layers.length; l++) activation = (layers[l] as Layer).forward(activation);
  return activation;
}

/**
 * Backpropagates the loss gradient through the layers, adding ∂C/∂parameter into
 * every parameter's `grad`. Starts from the loss' fused ∂C/∂z when it offers one
 * for the output layer (BP1 in one stable step), from ∂C/∂a otherwise.
 *
 * Training passes `inputGradient: false`: the first layer then only accumulates
 * its parameter gradients (if it offers `accumulateGradients`), skipping ∂C/∂x,
 * which nothing uses and which is most of the work for 784 inputs.
 *
 * @param layers - The layers, first to last; `forwardPass` must have run on them.
 * @param loss - The loss.
 * @param predicted - What `forwardPass` returned.
 * @param target - The desired outputs.
 * @param inputGradient - Whether ∂C/∂x is wanted (default true).
 * @param visit - Called with each layer's index and the ∂C/∂output it is about to be given
 *   (a buffer the next call may reuse): how `trace` reads δ without a pass of its own.
 * @returns ∂C/∂x for the input batch, or `undefined` when it was skipped.
 */
export function backwardPass(
  layers: readonly Layer[],
  loss: Loss,
  predicted: Tensor,
  target: Tensor,
  inputGradient = true,
  visit?: (layer: number, outputGrad: Tensor) => void,
): Tensor | undefined {
  const last = layers.length - 1;
  const fused = loss.fusedGradient !== undefined && loss.fusedWith?.(layers[last] as Layer) === true;
  let delta = fused ? (loss.fusedGradient as NonNullable<Loss['fusedGradient']>)(predicted, target) : loss.gradient(predicted, target);
  const first = layers[0] as Layer;
  const skipInput = !inputGradient && first.accumulateGradients !== undefined;
  for (let l = fused ? last - 1 : last; l >= (skipInput ? 1 : 0); l--) {
    visit?.(l, delta);
    delta = (layers[l] as Layer).backward(delta);
  }
  if (!skipInput) return delta;
  visit?.(0, delta);
  first.accumulateGradients?.(delta);
  return undefined;
}

/**
 * Sets every parameter's gradient to zero (gradients accumulate with `+=`).
 *
 * @param parameters - The parameters.
 */
export function zeroGradients(parameters: readonly Parameter[]): void {
  for (const p of parameters) p.grad.data.fill(0);
}
