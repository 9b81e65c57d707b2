import { describe, expect, it } from 'vitest';
import { loadMnist } from 'tinydense/node';
import { toMnist } from '../../examples/web/src/preprocess.js';
import { encodeSlice, parseSlice } from '../../examples/web/src/slice.js';

/** A 280×280 drawing with a filled rectangle. */
function rectangle(x0: number, y0: number, w: number, h: number): Float32Array {
  const ink = new Float32Array(280 * 280);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) ink[y * 280 + x] = 1;
  return ink;
}

describe('toMnist (the page’s MNIST preprocessing)', () => {
  it('returns null for an empty drawing', () => {
    expect(toMnist(new Float32Array(280 * 280), 280, 280)).toBeNull();
  });

  it('scales the bounding box so its longer side is 20 pixels and centres the mass at (14, 14)', () => {
    const out = toMnist(rectangle(30, 100, 200, 100), 280, 280) as Float32Array;
    const ink = Array.from(out.keys()).filter((i) => (out[i] as number) > 0.5);
    const xs = ink.map((i) => i % 28);
    const ys = ink.map((i) => Math.floor(i / 28));
    expect(Math.max(...xs) - Math.min(...xs) + 1).toBe(20);
    expect(Math.max(...ys) - Math.min(...ys) + 1).toBe(10);
    const mass = ink.length;
    // In pixel-index units, MNIST's convention.
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / mass - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(ys.reduce((a, b) => a + b, 0) / mass - 14)).toBeLessThanOrEqual(0.5);
  });

  it('does not depend on where or how large the digit is drawn', () => {
    expect(toMnist(rectangle(10, 10, 60, 120), 280, 280)).toEqual(toMnist(rectangle(150, 40, 60, 120), 280, 280));
  });

  it('turns an MNIST digit drawn 10× larger back into nearly the same 28×28 image', async () => {
    const { test } = await loadMnist();
    for (const index of [0, 1, 2, 3, 4]) {
      const digit = test.images.row(index);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)] as number;
      const back = toMnist(big, 280, 280) as Float32Array;
      const dot = Array.from(back).reduce((s, v, i) => s + v * (digit[i] as number), 0);
      const norm = Math.sqrt(Array.from(back).reduce((s, v) => s + v * v, 0) * Array.from(digit).reduce((s, v) => s + v * v, 0));
      expect(dot / norm).toBeGreaterThan(0.85);
    }
  });
});

describe('the MNIST slice format', () => {
  it('round-trips labels and pixels and rejects a wrong size', () => {
    const labels = Uint8Array.from([3, 7]);
    const pixels = Uint8Array.from({ length: 2 * 784 }, (_, i) => i % 256);
    const slice = parseSlice(encodeSlice(labels, pixels));
    expect(slice.count).toBe(2);
    expect(Array.from(slice.labels)).toEqual([3, 7]);
    expect(slice.pixels).toEqual(pixels);
    expect(() => parseSlice(encodeSlice(labels, pixels).subarray(0, 100))).toThrow(/expected 1578/);
  });
});
