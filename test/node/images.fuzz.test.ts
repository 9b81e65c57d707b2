import fc from 'fast-check';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeGreyPng } from '../../src/node/images.js';
import { FUZZ_RUNS, mutatedBytes, typedErrorOr } from '../helpers/fuzz.js';

function png(width: number, height: number, colorType: 0 | 2 | 6): Uint8Array {
  const image = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) image.data.set([p % 256, (p * 7) % 256, 40, 255], 4 * p);
  return new Uint8Array(PNG.sync.write(image, { colorType }));
}

describe('PNG loader fuzzing', () => {
  it(`decodes a 28×28 image or throws a typed error for ${FUZZ_RUNS} random and mutated PNG files`, () => {
    const seeds = [png(28, 28, 0), png(28, 28, 2), png(28, 28, 6), png(4, 4, 0)];
    let ok = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds).chain(mutatedBytes), (bytes) => {
        if (typedErrorOr(() => decodeGreyPng(PNG, bytes, 'fuzz.png', 28), (grey) => expect(grey.length).toBe(784))) ok++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`PNG fuzz: ${FUZZ_RUNS} files, ${ok} decoded, ${FUZZ_RUNS - ok} typed errors`);
  }, 120_000);
});
