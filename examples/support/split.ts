/** A seeded train/held-out split of labelled rows. */
import { Rng, type Tensor } from 'tinydense';

export interface Split {
  readonly train: { images: Tensor; labels: Uint8Array };
  readonly test: { images: Tensor; labels: Uint8Array };
}

/** Shuffles the row indices with a seeded RNG and keeps `testFraction` of them for testing. */
export function seededSplit(images: Tensor, labels: Uint8Array, testFraction: number, seed: number): Split {
  const order = new Rng(seed).shuffle(Uint32Array.from({ length: labels.length }, (_, i) => i));
  const testCount = Math.round(labels.length * testFraction);
  const part = (rows: Uint32Array): { images: Tensor; labels: Uint8Array } => ({
    images: images.gatherRows(rows),
    labels: Uint8Array.from(rows, (r) => labels[r] as number),
  });
  return { train: part(order.subarray(testCount)), test: part(order.subarray(0, testCount)) };
}

/** `count` rows drawn at random (seeded) without replacement, or all rows in their order when count covers them. */
export function seededSubset(images: Tensor, labels: Uint8Array, count: number, seed: number): { images: Tensor; labels: Uint8Array } {
  if (count >= labels.length) return { images, labels };
  const rows = new Rng(seed).shuffle(Uint32Array.from({ length: labels.length }, (_, i) => i)).subarray(0, count);
  return { images: images.gatherRows(rows), labels: Uint8Array.from(rows, (r) => labels[r] as number) };
}
