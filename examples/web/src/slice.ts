/**
 * The compact MNIST slice shipped with the page (`mnist-slice.bin.gz`): after gzip,
 * the ASCII magic `TDMS`, a little-endian uint32 count n, n labels (one byte each),
 * then n × 784 grey levels (one byte each, row by row).
 */
export interface Slice {
  readonly count: number;
  readonly labels: Uint8Array;
  /** n × 784 grey levels 0–255. */
  readonly pixels: Uint8Array;
}

export function parseSlice(bytes: Uint8Array): Slice {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'TDMS') throw new Error(`mnist slice: bad magic ${JSON.stringify(magic)}`);
  const count = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  if (bytes.length !== 8 + count * 785) throw new Error(`mnist slice: ${bytes.length} bytes, expected ${8 + count * 785} for ${count} images`);
  return { count, labels: bytes.subarray(8, 8 + count), pixels: bytes.subarray(8 + count) };
}

export function encodeSlice(labels: Uint8Array, pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + labels.length * 785);
  out.set([84, 68, 77, 83]); // "TDMS"
  new DataView(out.buffer).setUint32(4, labels.length, true);
  out.set(labels, 8);
  out.set(pixels, 8 + labels.length);
  return out;
}
