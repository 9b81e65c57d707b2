import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readIdx } from 'tinydense/node';
import { idxImages, idxLabels, syntheticImages } from '../helpers/idx.js';
import { FUZZ_RUNS, mutatedBytes, typedErrorOr } from '../helpers/fuzz.js';

describe('readIdx fuzzing', () => {
  it(`returns a consistent file or throws a typed error for ${FUZZ_RUNS} random and mutated inputs`, () => {
    const small = [Array.from({ length: 12 }, (_, i) => i * 20)];
    const seeds = [idxLabels([1, 2, 3, 4]), idxImages(small, 3, 4), gzipSync(idxLabels([9, 8, 7])), gzipSync(idxImages(small, 2, 6)), idxImages(syntheticImages(1))];
    let ok = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds).chain(mutatedBytes), (bytes) => {
        if (typedErrorOr(() => readIdx(bytes, 'fuzz.idx'), (r) => expect(r.data.length).toBe(r.dims.reduce((a, b) => a * b, 1)))) ok++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`readIdx fuzz: ${FUZZ_RUNS} inputs, ${ok} parsed, ${FUZZ_RUNS - ok} typed errors`);
  });
});
