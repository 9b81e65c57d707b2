import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError } from 'tinydense';
import { readIdx } from 'tinydense/node';
import { idxImages, idxLabels, syntheticImages } from '../helpers/idx.js';

describe('readIdx', () => {
  it('parses label and image files, raw and gzip-compressed', () => {
    const labels = idxLabels([3, 1, 4]);
    for (const bytes of [labels, gzipSync(labels)]) {
      const idx = readIdx(bytes, 'labels');
      expect(idx.magic).toBe(2049);
      expect(idx.dims).toEqual([3]);
      expect(Array.from(idx.data)).toEqual([3, 1, 4]);
    }
    const images = readIdx(gzipSync(idxImages(syntheticImages(2))), 'images');
    expect(images.dims).toEqual([2, 28, 28]);
    expect(images.data[784 + 1]).toBe(38);
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['a wrong magic number', (() => { const b = idxLabels([1]); b[3] = 7; return b; })(), /data\.idx: magic number 2055 \(0x00000807\); expected 2049 \(labels\) or 2051 \(images\)/],
    ['a truncated header', idxLabels([1, 2]).subarray(0, 6), /data\.idx: truncated header: 6 bytes/],
    ['a truncated image header', idxImages(syntheticImages(1)).subarray(0, 12), /truncated header: 12 bytes, expected 16/],
    ['truncated data', idxImages(syntheticImages(2)).subarray(0, 1000), /header says 2×28×28 = 1568 bytes of data, but the file has 984 \(truncated\)/],
    ['trailing data', new Uint8Array([...idxLabels([1, 2]), 9]), /header says 2 = 2 bytes of data, but the file has 3/],
    ['corrupt gzip', gzipSync(idxLabels([1, 2, 3])).map((b, i) => (i > 12 ? b ^ 0xff : b)), /data\.idx: corrupt gzip data/],
    ['a truncated gzip stream', gzipSync(idxImages(syntheticImages(3))).subarray(0, 200), /data\.idx: corrupt gzip data/],
    ['an empty file', new Uint8Array(0), /truncated header: 0 bytes/],
  ];
  for (const [name, bytes, message] of bad) {
    it(`rejects ${name} with a FormatError naming the file`, () => {
      expect(() => readIdx(bytes, 'data.idx')).toThrow(FormatError);
      expect(() => readIdx(bytes, 'data.idx')).toThrow(message);
    });
  }
});
