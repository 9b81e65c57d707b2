/** A small separable classification problem: two Gaussian blobs. */
import { Rng, Tensor, oneHot } from 'tinydense';

export function blobs(n: number, seed: number, dtype: 'float32' | 'float64' = 'float32'): { x: Tensor; y: Tensor; labels: number[] } {
  const rng = new Rng(seed);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = Tensor.from(labels.map((l) => [rng.normal(l ? 1.5 : -1.5, 1), rng.normal(l ? 1 : -1, 1)]), dtype);
  return { x, y: oneHot(labels, 2, dtype), labels };
}
