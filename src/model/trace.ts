/**
 * `trace`: backpropagation for one sample, every quantity labelled with the
 * book's equation.
 *
 * @module
 */
import { ShapeError, formatShape } from '../errors.js';
import { Dense } from '../layers/dense.js';
import type { Loss } from '../losses/loss.js';
import { resolveLoss, type LossName } from '../losses/names.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { backwardPass, zeroGradients } from '../training/backprop.js';
import { checkData, checkLayers } from '../training/validate.js';
import type { Sequential } from './sequential.js';

/** A quantity of a {@link Trace}, with the book's equation that gives it. */
export interface TraceValues<E extends string, V> {
  /** The equation: `'BP1'`, `'BP2'`, `'BP3'` or `'BP4'`. */
  readonly equation: E;
  /** The values. */
  readonly values: V;
}

/** One of the book's layers in a {@link Trace}: a `Dense` and the layers after it up to the next. */
export interface TraceLayer {
  /** The book's l, from 1 (the input is layer 0 in the book; the first `Dense` is 1). */
  readonly l: number;
  /** The `Dense`'s index in `model.layers`. */
  readonly index: number;
  /** The layers this step covers, e.g. `['Dense(784→30)', 'Sigmoid']`. */
  readonly names: readonly string[];
  /** zˡ = wˡ aˡ⁻¹ + bˡ, the weighted input (the book's eq. 25 before σ). */
  readonly z: readonly number[];
  /** aˡ = σ(zˡ): the output of the layers after the `Dense` (zˡ itself when there are none). */
  readonly a: readonly number[];
  /** δˡ = ∂C/∂zˡ: BP1 for the output layer, δᴸ = ∇ₐC ⊙ σ′(zᴸ); BP2 before it, δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ). */
  readonly delta: TraceValues<'BP1' | 'BP2', readonly number[]>;
  /** ∂C/∂bˡⱼ = δˡⱼ (BP3). */
  readonly biasGradient: TraceValues<'BP3', readonly number[]>;
  /** ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ (BP4), laid out as the weights are: `[inputs][outputs]`, row k, column j. */
  readonly weightGradient: TraceValues<'BP4', readonly (readonly number[])[]>;
}

/** What {@link trace} returns: one sample through the network and back. */
export interface Trace {
  /** The sample, as the first layer sees it (a⁰ in the book when the first layer is a `Dense`). */
  readonly input: readonly number[];
  /** The desired output y. */
  readonly target: readonly number[];
  /** The cost C for this sample. */
  readonly cost: number;
  /** One entry per `Dense`, first to last. */
  readonly layers: readonly TraceLayer[];
}

/**
 * Backpropagation for one sample, as the book writes it: per layer l, the
 * weighted input zˡ, the activation aˡ, the error δˡ (BP1 at the output, BP2
 * before it), and the gradients ∂C/∂bˡ (BP3) and ∂C/∂wˡ (BP4). The numbers are
 * those of {@link Sequential.gradients} for the same sample, bit for bit (the same
 * passes compute them); nothing in the model changes.
 *
 * @param model - The model (its layers between two `Dense` layers count as that layer's σ).
 * @param x - One sample: `[[…inputWidth values]]` or a tensor of one row.
 * @param y - Its target, one row.
 * @param loss - The cost, an instance or a name.
 * @returns The trace.
 * @throws {@link ShapeError} unless x and y hold exactly one row of the right widths; the errors of `gradients`.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid, trace } from 'tinydense';
 * const model = new Sequential([new Dense(2, 3), new Sigmoid(), new Dense(3, 1), new Sigmoid()], { seed: 1 });
 * const t = trace(model, [[1, 0]], [[1]], 'quadratic');
 * t.layers[1]?.delta.equation; // 'BP1'
 * ```
 */
export function trace(model: Sequential, x: TensorLike, y: TensorLike, loss: Loss | LossName): Trace {
  const where = 'trace';
  const lossFn = resolveLoss(loss, where);
  checkLayers(model, where);
  const [input, target] = checkData(model, x, y, where, 'x', 'y');
  if (input.shape[0] !== 1) throw new ShapeError(`${where}: x must be one sample, [1, ${model.inputWidth}], got ${formatShape(input.shape)}`);
  const layers = model.layers;
  const dense = layers.map((l, i) => (l instanceof Dense ? i : -1)).filter((i) => i >= 0);
  if (dense.length === 0) throw new ShapeError(`${where}: the model has no Dense layer to trace`);
  const parameters = model.parameters();
  zeroGradients(parameters);
  // forward, keeping each layer's output (the layers reuse their buffers: copy)
  const outputs: Tensor[] = [];
  let a = input;
  for (const layer of layers) {
    a = layer.forward(a);
    outputs.push(a.clone());
  }
  const predicted = a;
  const cost = lossFn.value(predicted, target);
  // backward as gradients() runs it, keeping δ where it enters each Dense
  const deltas = new Map<number, number[]>();
  backwardPass(layers, lossFn, predicted, target, false, (l, delta) => {
    if (layers[l] instanceof Dense) deltas.set(l, Array.from(delta.data));
  });
  const traced = dense.map((index, k): TraceLayer => {
    const layer = layers[index] as Dense;
    const end = dense[k + 1] ?? layers.length;
    const [weights, biases] = layer.parameters();
    const w = (weights as { grad: Tensor }).grad;
    return {
      l: k + 1,
      index,
      names: layers.slice(index, end).map((x) => x.name),
      z: Array.from((outputs[index] as Tensor).data),
      a: Array.from((outputs[end - 1] as Tensor).data),
      delta: { equation: k === dense.length - 1 ? 'BP1' : 'BP2', values: deltas.get(index) as number[] },
      biasGradient: { equation: 'BP3', values: Array.from((biases as { grad: Tensor }).grad.data) },
      weightGradient: { equation: 'BP4', values: Array.from({ length: layer.inputs }, (_, r) => Array.from(w.data.subarray(r * layer.outputs, (r + 1) * layer.outputs))) },
    };
  });
  zeroGradients(parameters);
  const first = dense[0] as number;
  return { input: Array.from((first === 0 ? input : (outputs[first - 1] as Tensor)).data), target: Array.from(target.data), cost, layers: traced };
}
