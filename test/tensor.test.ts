import { describe, expect, it } from 'vitest';
import { DataError, ShapeError, Tensor } from 'tinydense';

describe('Tensor', () => {
  it('is a row-major [rows, cols] matrix over a Float32Array by default', () => {
    const t = Tensor.from([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.get(1, 0)).toBe(4);
    expect(Array.from(t.row(1))).toEqual([4, 5, 6]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('wraps data without copying and checks the length against the shape', () => {
    const data = new Float64Array(6);
    const t = new Tensor(data, [3, 2]);
    expect(t.data).toBe(data);
    expect(t.dtype).toBe('float64');
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow('Tensor: shape [2, 3] needs 6 elements, got 5');
    expect(() => new Tensor(new Float32Array(6), [-2, -3])).toThrow(ShapeError);
    // @ts-expect-error: a plain array is not accepted as data
    expect(() => new Tensor([1, 2], [1, 2])).toThrow(/Float32Array or Float64Array/);
  });

  it('copies rows and returns copies, so callers cannot alias its storage by accident', () => {
    const t = Tensor.from([[1, 2], [3, 4]]);
    t.row(0)[0] = 99;
    expect(t.get(0, 0)).toBe(1);
    const c = t.clone();
    c.data[0] = 7;
    expect(t.get(0, 0)).toBe(1);
  });

  it('rejects ragged rows, non-numbers and out-of-range indices with typed errors', () => {
    expect(() => Tensor.from([[1, 2], [3]])).toThrow('Tensor.from: row 1 has 1 values, expected 2 values like row 0');
    // @ts-expect-error: a string cell
    expect(() => Tensor.from([[1, '2']])).toThrow(DataError);
    expect(() => Tensor.from([[1, 2]]).get(0, 2)).toThrow(ShapeError);
    expect(() => Tensor.from([[1, 2]]).row(1)).toThrow(ShapeError);
  });

  it('gathers rows in the given order, into a buffer when given one', () => {
    const t = Tensor.from([[0, 0], [1, 1], [2, 2]], 'float64');
    expect(t.gatherRows([2, 0]).toArray()).toEqual([[2, 2], [0, 0]]);
    const out = Tensor.zeros([1, 2], 'float64');
    expect(t.gatherRows([1], out)).toBe(out);
    expect(() => t.gatherRows([3])).toThrow(ShapeError);
    expect(() => t.gatherRows([1], Tensor.zeros([2, 2], 'float64'))).toThrow(ShapeError);
    // rows of 63 values are copied value by value, of 64 and more as one block each
    for (const cols of [63, 64, 100]) {
      const wide = new Tensor(Float32Array.from({ length: 3 * cols }, (_, i) => i), [3, cols]);
      const rows = (...r: number[]): number[] => r.flatMap((n) => Array.from({ length: cols }, (_, c) => n * cols + c));
      expect(Array.from(wide.gatherRows([2, 0, 2]).data)).toEqual(rows(2, 0, 2));
    }
  });

  it('slices rows, converts dtype, and finds each row’s argmax (first on ties)', () => {
    const t = Tensor.from([[0, 5, 5], [9, 1, 2], [0, 0, 3]]);
    expect(t.sliceRows(1).toArray()).toEqual([[9, 1, 2], [0, 0, 3]]);
    expect(() => t.sliceRows(2, 5)).toThrow(ShapeError);
    expect(Array.from(t.argmaxRows())).toEqual([1, 0, 2]);
    expect(t.astype('float32')).toBe(t);
    expect(t.astype('float64').data).toBeInstanceOf(Float64Array);
    expect(Tensor.zeros([0, 3]).argmaxRows().length).toBe(0);
  });
});
