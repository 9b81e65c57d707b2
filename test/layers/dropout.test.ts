import { describe, expect, it } from 'vitest';
import { Dense, Dropout, OptionError, Rng, SGD, Sequential, ShapeError, Tanh, Tensor, createCheckpoint, restoreCheckpoint } from 'tinydense';
import { resolveLoss } from '../../src/losses/names.js';
import { backwardPass, forwardPass, zeroGradients } from '../../src/training/backprop.js';
import { TOLERANCE, maxRelativeError, numericGradient } from '../helpers/finite-difference.js';
import { layerConformance } from '../helpers/conformance.js';
import { blobs } from '../helpers/blobs.js';

// Outside training, Dropout is the identity: the conformance suite sees that side.
layerConformance('Dropout', {
  make: () => new Dropout(0.3),
  example: { input: [[-2, 0, 3.5]], output: [[-2, 0, 3.5]] },
});

describe('Dropout', () => {
  it('while training, keeps each value with probability 1 − rate, scaled by 1/(1 − rate), and zeroes the rest', () => {
    const d = new Dropout(0.25);
    d.initialize(new Rng(3));
    const x = Tensor.from([Array.from({ length: 20000 }, () => 2)], 'float64');
    const a = d.forward(x, true).data;
    const kept = Array.from(a).filter((v) => v !== 0);
    expect(kept.every((v) => v === 2 / 0.75)).toBe(true);
    expect(kept.length / a.length).toBeGreaterThan(0.74);
    expect(kept.length / a.length).toBeLessThan(0.76);
    // backward uses the same mask
    const g = d.backward(Tensor.from([Array.from({ length: 20000 }, () => 1)], 'float64')).data;
    for (let i = 0; i < a.length; i++) expect(g[i]).toBe(a[i] === 0 ? 0 : 1 / 0.75);
  });

  it('is the identity in predict, evaluate and gradients, and with rate 0', () => {
    const d = new Dropout(0.9);
    d.initialize(new Rng(0));
    const x = Tensor.from([[1, 2, 3]]);
    expect(d.forward(x)).toBe(x);
    const zero = new Dropout(0);
    zero.initialize(new Rng(0));
    expect(zero.forward(x, true)).toBe(x);
  });

  it('rejects a rate outside [0, 1) with an OptionError naming it', () => {
    for (const rate of [1, -0.1, 1.5, Number.NaN]) expect(() => new Dropout(rate)).toThrow(OptionError);
    expect(() => new Dropout(1)).toThrow(/Dropout: rate must be a finite number in \[0, 1\)/);
  });

  it('refuses to train before it has an RNG', () => {
    expect(() => new Dropout(0.5).forward(Tensor.zeros([1, 2]), true)).toThrow(ShapeError);
  });

  it('backpropagates, with its mask, the gradient finite differences give (float64, training mode)', () => {
    const model = new Sequential([new Dense(3, 5), new Tanh(), new Dropout(0.4), new Dense(5, 2)], { seed: 4, dtype: 'float64' });
    const loss = resolveLoss('quadratic', 'test');
    const x = Tensor.from([[0.3, -1, 2], [1, 0.5, -0.2]], 'float64');
    const y = Tensor.from([[1, 0], [0, 1]], 'float64');
    const state = model.rng.getState();
    // The same mask every time: the RNG is put back before each training forward.
    const forward = (): Tensor => {
      model.rng.setState(state);
      let a = x;
      for (const layer of model.layers) a = layer.forward(a, true);
      return a;
    };
    const cost = (): number => loss.value(forward(), y);
    zeroGradients(model.parameters());
    backwardPass(model.layers, loss, forward(), y);
    const analytic = model.parameters().map((p) => p.grad.clone());
    model.parameters().forEach((p, i) => {
      expect(maxRelativeError((analytic[i] as Tensor).data, numericGradient(p.value.data, cost), cost())).toBeLessThanOrEqual(TOLERANCE);
    });
    // and the mask really dropped something: the training cost differs from the inference cost
    expect(cost()).not.toBe(loss.value(forwardPass(model.layers, x), y));
  });

  it('trains bit-identically for a seed, and resumes bit-identically from a checkpoint', () => {
    const { x, y } = blobs(90, 2, 'float32');
    const build = (): Sequential => new Sequential([new Dense(2, 8), new Tanh(), new Dropout(0.5), new Dense(8, 2)], { seed: 9 });
    const sgd = (): SGD => new SGD({ learningRate: 0.5, momentum: 0.9 });
    const options = { epochs: 4, batchSize: 10, loss: 'quadratic' } as const;
    const a = build();
    a.fit(x, y, { ...options, optimizer: sgd() });
    const b = build();
    b.fit(x, y, { ...options, optimizer: sgd() });
    expect(b.getWeights()).toEqual(a.getWeights());
    const plain = new Sequential([new Dense(2, 8), new Tanh(), new Dense(8, 2)], { seed: 9 });
    plain.fit(x, y, { ...options, optimizer: sgd() });
    expect(plain.getWeights()).not.toEqual(a.getWeights());

    const first = build();
    const optimizer = sgd();
    first.fit(x, y, { ...options, epochs: 2, optimizer });
    const resumed = restoreCheckpoint(JSON.stringify(createCheckpoint({ model: first, optimizer, epoch: 2 })));
    resumed.model.fit(x, y, { ...options, initialEpoch: 2, optimizer: resumed.optimizer });
    expect(resumed.model.getWeights()).toEqual(a.getWeights());
  });
});
