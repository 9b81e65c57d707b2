import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from 'tinydense/node';
import { FUZZ_RUNS, typedErrorOrAsync } from '../helpers/fuzz.js';

const valid = 'label,pixel0,pixel1,pixel2\n1,0,255,51\n0,102,0,0\n7,1,2,3\n';
const csvChars = fc.constantFrom(...'0123456789,,,\n\n\r-.eE+ abxlNaInfity"');

describe('loadCsv fuzzing', () => {
  it(`reads a consistent table or throws a typed error for ${FUZZ_RUNS} random and mutated files`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tinydense-csv-fuzz-')), 'fuzz.csv');
    const text = fc.oneof(
      fc.string({ unit: csvChars, maxLength: 120 }),
      fc.tuple(fc.nat({ max: valid.length }), fc.string({ unit: csvChars, maxLength: 6 }), fc.nat({ max: valid.length })).map(
        ([at, insert, cut]) => valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + (cut % 4))),
      ),
      fc.constant(valid),
    );
    const labelColumn = fc.constantFrom<string | number | null>('label', 0, 2, null, 'missing');
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(text, labelColumn, async (content, column) => {
        writeFileSync(path, content);
        const read = await typedErrorOrAsync(
          () => loadCsv(path, { labelColumn: column }),
          (r) => {
            expect(r.images.data.every(Number.isFinite)).toBe(true);
            expect(r.columns.length).toBe(r.images.shape[1]);
            if (column !== null) expect(r.labels.length).toBe(r.images.shape[0]);
          },
        );
        if (read) ok++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`loadCsv fuzz: ${FUZZ_RUNS} files, ${ok} read, ${FUZZ_RUNS - ok} typed errors`);
  }, 120_000);
});
