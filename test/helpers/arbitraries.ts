/** fast-check arbitraries: random small networks, inputs and matching targets. */
import fc from 'fast-check';
import { Dense, Dropout, ELU, LeakyReLU, Normalization, ReLU, Sigmoid, Softmax, Tanh, Tensor, type Layer, type LossName } from 'tinydense';

export type ActivationName = 'none' | 'sigmoid' | 'relu' | 'tanh' | 'softmax' | 'leaky-relu' | 'elu';

export interface NetworkCase {
  readonly widths: number[]; // input width, then each Dense layer's outputs
  readonly activations: ActivationName[]; // after each Dense
  /** A Normalization adapted on x comes first; a Dropout (identity outside training) follows the first activation. */
  readonly normalize?: boolean;
  readonly dropout?: boolean;
  readonly loss: LossName;
  readonly seed: number;
  readonly batch: number;
  readonly x: number[][];
  readonly y: number[][];
}

export function makeActivation(name: ActivationName): Layer | undefined {
  switch (name) {
    case 'none':
      return undefined;
    case 'sigmoid':
      return new Sigmoid();
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'softmax':
      return new Softmax();
    case 'leaky-relu':
      return new LeakyReLU({ alpha: 0.1 });
    case 'elu':
      return new ELU();
  }
}

export function buildLayers(c: Pick<NetworkCase, 'widths' | 'activations'> & Partial<Pick<NetworkCase, 'normalize' | 'dropout' | 'x'>>): Layer[] {
  const layers: Layer[] = [];
  // adapted on x shifted and stretched, so the layer does more than nothing
  if (c.normalize === true && c.x !== undefined) layers.push(new Normalization().adapt([...c.x, ...c.x.map((r) => r.map((v) => 3 * v + 1))]));
  for (let i = 0; i < c.activations.length; i++) {
    layers.push(new Dense(c.widths[i] as number, c.widths[i + 1] as number));
    const a = makeActivation(c.activations[i] as ActivationName);
    if (a) layers.push(a);
    if (i === 0 && c.dropout === true) layers.push(new Dropout(0.5));
  }
  return layers;
}

const value = fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true });
const unit = fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true });

/**
 * 1–3 Dense layers of width 1–8, any mix of activations, every loss with an
 * output layer and targets it accepts: quadratic takes any output and targets in
 * [−1, 1]; cross-entropy takes a sigmoid or softmax output and targets in [0, 1];
 * categorical cross-entropy takes a softmax or sigmoid output and targets that are
 * probability rows (one-hot or spread).
 */
export const networkCase: fc.Arbitrary<NetworkCase> = fc
  .record({
    depth: fc.integer({ min: 1, max: 3 }),
    widths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 4, maxLength: 4 }),
    hidden: fc.array(fc.constantFrom<ActivationName>('none', 'sigmoid', 'relu', 'tanh', 'softmax', 'leaky-relu', 'elu'), { minLength: 3, maxLength: 3 }),
    loss: fc.constantFrom<LossName>('quadratic', 'cross-entropy', 'categorical-cross-entropy'),
    lastQuadratic: fc.constantFrom<ActivationName>('none', 'sigmoid', 'relu', 'tanh', 'softmax', 'leaky-relu', 'elu'),
    normalize: fc.boolean(),
    dropout: fc.boolean(),
    lastProbability: fc.constantFrom<ActivationName>('sigmoid', 'softmax'),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    batch: fc.integer({ min: 1, max: 5 }),
  })
  .chain((r) => {
    const widths = r.widths.slice(0, r.depth + 1);
    const activations = r.hidden.slice(0, r.depth);
    activations[r.depth - 1] = r.loss === 'quadratic' ? r.lastQuadratic : r.lastProbability;
    const inputs = widths[0] as number;
    const outputs = widths[r.depth] as number;
    const row = (n: number, v: fc.Arbitrary<number>): fc.Arbitrary<number[]> => fc.array(v, { minLength: n, maxLength: n });
    let target: fc.Arbitrary<number[]>;
    if (r.loss === 'quadratic') target = row(outputs, fc.double({ min: -1, max: 1, noNaN: true }));
    else if (r.loss === 'cross-entropy') target = row(outputs, unit);
    else
      target = fc.oneof(
        fc.integer({ min: 0, max: outputs - 1 }).map((k) => Array.from({ length: outputs }, (_, j) => (j === k ? 1 : 0))),
        row(outputs, fc.double({ min: 0.01, max: 1, noNaN: true })).map((v) => {
          const s = v.reduce((a, b) => a + b, 0);
          return v.map((t) => t / s);
        }),
      );
    return fc.record({
      widths: fc.constant(widths),
      activations: fc.constant(activations),
      normalize: fc.constant(r.normalize),
      dropout: fc.constant(r.dropout),
      loss: fc.constant(r.loss),
      seed: fc.constant(r.seed),
      batch: fc.constant(r.batch),
      x: fc.array(row(inputs, value), { minLength: r.batch, maxLength: r.batch }),
      y: fc.array(target, { minLength: r.batch, maxLength: r.batch }),
    });
  });

export function tensor64(rows: number[][]): Tensor {
  return Tensor.from(rows, 'float64');
}
