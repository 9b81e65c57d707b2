/** Random networks of every layer the export formats carry, and how close two predictions must be. */
import fc from 'fast-check';
import { Dense, Dropout, ELU, LeakyReLU, Normalization, ReLU, Rng, Sequential, Sigmoid, Softmax, Tanh, Tensor, type DType, type Layer } from 'tinydense';

export type Kind = 'sigmoid' | 'relu' | 'tanh' | 'leaky' | 'elu' | 'dropout' | 'none';

export interface ExportCase {
  readonly widths: number[];
  readonly hidden: Kind[];
  readonly last: 'softmax' | 'sigmoid' | 'none';
  readonly normalize: boolean;
  readonly invert: boolean;
  readonly seed: number;
  readonly dtype: DType;
}

export const exportCase: fc.Arbitrary<ExportCase> = fc.record({
  widths: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 }),
  hidden: fc.array(fc.constantFrom<Kind>('sigmoid', 'relu', 'tanh', 'leaky', 'elu', 'dropout', 'none'), { minLength: 3, maxLength: 3 }),
  last: fc.constantFrom<'softmax' | 'sigmoid' | 'none'>('softmax', 'sigmoid', 'none'),
  normalize: fc.boolean(),
  invert: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1000 }),
  dtype: fc.constantFrom<DType>('float32', 'float64'),
});

/** The network of a case; Normalization layers adapted on random data; ELU with `eluAlpha`. */
export function exportModel(c: ExportCase, eluAlpha = 0.7): Sequential {
  const rng = new Rng(c.seed);
  const data = (width: number): number[][] => Array.from({ length: 5 }, () => Array.from({ length: width }, () => rng.normal(3, 2)));
  const layers: Layer[] = [];
  const inputs = c.widths[0] as number;
  if (c.normalize) layers.push(new Normalization().adapt(data(inputs)));
  for (let i = 1; i < c.widths.length; i++) {
    layers.push(new Dense(c.widths[i - 1] as number, c.widths[i] as number));
    const kind = i < c.widths.length - 1 ? (c.hidden[i - 1] as Kind) : c.last;
    if (kind === 'sigmoid') layers.push(new Sigmoid());
    else if (kind === 'relu') layers.push(new ReLU());
    else if (kind === 'tanh') layers.push(new Tanh());
    else if (kind === 'leaky') layers.push(new LeakyReLU({ alpha: 0.2 }));
    else if (kind === 'elu') layers.push(new ELU({ alpha: eluAlpha }));
    else if (kind === 'dropout') layers.push(new Dropout(0.3));
    else if (kind === 'softmax') layers.push(new Softmax());
  }
  if (c.invert) layers.push(new Normalization({ invert: true }).adapt(data(c.widths.at(-1) as number)));
  return new Sequential(layers, { seed: c.seed, dtype: c.dtype });
}

/** Inputs for a model: a few rows around the data's scale. */
export function exportInput(model: Sequential, seed: number): Tensor {
  const rng = new Rng(seed + 1);
  return Tensor.from(Array.from({ length: 4 }, () => Array.from({ length: model.inputWidth }, () => rng.normal(2, 3))), 'float32');
}

/**
 * The largest error of b against a, relative to each value's size, with a floor of
 * 0.01 for values near 0 (so 1e-5 of it is 1e-7 absolute): onnxruntime's Sigmoid is
 * a fast approximation about 1e-8 from the exact value (measured: 2.5390281e-4
 * against 2.5391579e-4), which is a large relative error for outputs near 0.
 */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-2));
  }
  return worst;
}
