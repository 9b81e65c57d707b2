/** Writes small IDX files, the format of MNIST, for the loaders' tests. */
export function idxLabels(labels: number[]): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 2049);
  view.setUint32(4, labels.length);
  out.set(labels, 8);
  return out;
}

export function idxImages(images: number[][], rows = 28, cols = 28): Uint8Array {
  const out = new Uint8Array(16 + images.length * rows * cols);
  const view = new DataView(out.buffer);
  view.setUint32(0, 2051);
  view.setUint32(4, images.length);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  images.forEach((img, i) => out.set(img, 16 + i * rows * cols));
  return out;
}

/** n images of 784 pixels, image i filled with (i * 37 + p) mod 256. */
export function syntheticImages(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: 784 }, (_, p) => (i * 37 + p) % 256));
}
