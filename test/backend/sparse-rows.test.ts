import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor } from 'tinydense';
import { SparseRows } from '../../src/backend/sparse-rows.js';

const matrix = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }))
  .chain(([rows, cols]) =>
    fc.array(fc.oneof(fc.constant(0), fc.constant(-0), fc.float({ noNaN: true })), { minLength: rows * cols, maxLength: rows * cols }).map((v) => new Tensor(Float32Array.from(v), [rows, cols])),
  );

describe('SparseRows', () => {
  it('keeps exactly the non-zero entries, in column order, and gives the dense rows back', () => {
    fc.assert(
      fc.property(matrix, fc.integer({ min: 0, max: 1000 }), (x, seed) => {
        const s = SparseRows.fromDense(x) as SparseRows;
        const [rows, cols] = x.shape;
        expect(s.shape).toEqual([rows, cols]);
        expect(s.nonZeroCount).toBe(x.data.filter((v) => v !== 0).length);
        for (let r = 0; r < rows; r++) {
          for (let t = (s.rowStart[r] as number) + 1; t < (s.rowStart[r + 1] as number); t++) expect(s.pairs[2 * t]).toBeGreaterThan(s.pairs[2 * t - 2] as number);
        }
        const indices = Array.from({ length: rows }, (_, i) => (i * 7 + seed) % rows);
        const out = new Float32Array(rows * cols).fill(9);
        s.denseRows(indices, out);
        // -0 is stored as nothing, so it comes back as +0; every other value comes back bit for bit
        const expected = x.gatherRows(indices).data.map((v) => (v === 0 ? 0 : v));
        expect(Array.from(out)).toEqual(Array.from(expected));
      }),
      { numRuns: 200 },
    );
  });

  it('returns undefined above maxDensity, and takes float32 only', () => {
    const x = Tensor.from([[0, 1], [2, 3]]);
    expect(SparseRows.fromDense(x, 0.75)?.nonZeroCount).toBe(3);
    expect(SparseRows.fromDense(x, 0.5)).toBeUndefined();
    expect(() => SparseRows.fromDense(Tensor.from([[1]], 'float64'))).toThrow(new ShapeError('SparseRows.fromDense: expected a float32 tensor, got float64 [1, 1]'));
  });
});
