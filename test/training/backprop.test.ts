import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELU, LeakyReLU, ReLU, Sequential, Tensor, type Loss } from 'tinydense';
import { resolveLoss } from '../../src/losses/names.js';
import { backwardPass, forwardPass, zeroGradients } from '../../src/training/backprop.js';
import { buildLayers, networkCase, type NetworkCase } from '../helpers/arbitraries.js';
import { TOLERANCE, maxRelativeError, numericGradient } from '../helpers/finite-difference.js';

/** The random network of a case, in float64, with its loss, inputs and targets. */
function setup(c: NetworkCase): { model: Sequential; loss: Loss; x: Tensor; y: Tensor } {
  return {
    model: new Sequential(buildLayers(c), { seed: c.seed, dtype: 'float64' }),
    loss: resolveLoss(c.loss, 'test'),
    x: Tensor.from(c.x, 'float64'),
    y: Tensor.from(c.y, 'float64'),
  };
}

// The largest error seen over all runs, reported at the end so the closing note can quote it.
let worstParameter = 0;
let worstInput = 0;

describe('backpropagation', () => {
  it('matches central finite differences for every parameter and the input, on random networks (float64)', () => {
    fc.assert(
      fc.property(networkCase, (c) => {
        const { model, loss, x, y } = setup(c);
        const cost = (): number => loss.value(forwardPass(model.layers, x), y);
        // ReLU and LeakyReLU are not differentiable at 0, and ELU's curvature jumps there (its
        // central difference is off by O(h)): a difference straddling the kink is no reference.
        // Keep every such input 1e−4 (100 steps h) away from it.
        let a = x;
        for (const layer of model.layers) {
          if (layer instanceof ReLU || layer instanceof LeakyReLU || layer instanceof ELU) fc.pre(a.data.every((z) => Math.abs(z) > 1e-4));
          a = layer.forward(a);
        }

        const analytic = model.gradients(x, y, loss);
        model.parameters().forEach((p, i) => {
          const error = maxRelativeError((analytic[i] as Tensor).data, numericGradient(p.value.data, cost), cost());
          worstParameter = Math.max(worstParameter, error);
          expect(error, `${p.name} of parameter ${i}`).toBeLessThanOrEqual(TOLERANCE);
        });

        zeroGradients(model.parameters());
        const inputGrad = (backwardPass(model.layers, loss, forwardPass(model.layers, x), y) as Tensor).clone();
        const error = maxRelativeError(inputGrad.data, numericGradient(x.data, cost), cost());
        worstInput = Math.max(worstInput, error);
        expect(error, 'input gradient').toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: Number(process.env.GRAD_RUNS ?? 1000) },
    );
    console.log(`gradient check: worst relative error ${worstParameter.toExponential(2)} (parameters), ${worstInput.toExponential(2)} (input)`);
  });

  it('gives bit-identical parameter gradients whether or not the input gradient is computed', () => {
    fc.assert(
      fc.property(networkCase, (c) => {
        const { model, loss, x, y } = setup(c);
        const params = model.parameters();
        const run = (inputGradient: boolean): Float64Array[] => {
          zeroGradients(params);
          const result = backwardPass(model.layers, loss, forwardPass(model.layers, x), y, inputGradient);
          expect(result === undefined).toBe(!inputGradient);
          return params.map((p) => Float64Array.from(p.grad.data));
        };
        expect(run(false)).toEqual(run(true));
      }),
    );
  });

  it('uses the fused a − y gradient for softmax + categorical cross-entropy and sigmoid + cross-entropy', () => {
    // Saturated outputs: the unfused path would divide by a ≈ 0; the fused one stays exact.
    for (const [last, loss] of [['softmax', 'categorical-cross-entropy'], ['sigmoid', 'cross-entropy']] as const) {
      const model = new Sequential(buildLayers({ widths: [2, 3], activations: [last] }), { dtype: 'float64' });
      model.setWeights([[[500, -500, 0], [0, 0, 0]], [[0, 0, 0]]]);
      const x = Tensor.from([[1, 0]], 'float64');
      const y = Tensor.from([[0, 1, 0]], 'float64');
      const a = model.predict(x);
      const [gradW] = model.gradients(x, y, loss);
      // ∂C/∂W_0j = x_0 (a_j − y_j) for one sample
      for (let j = 0; j < 3; j++) expect(gradW?.get(0, j)).toBeCloseTo(a.get(0, j) - y.get(0, j), 12);
      expect(gradW?.data.every(Number.isFinite)).toBe(true);
    }
  });
});
