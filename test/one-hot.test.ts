import { describe, expect, it } from 'vitest';
import { DataError, OptionError, oneHot } from 'tinydense';

describe('oneHot', () => {
  it('puts a single 1 in each row, at the label’s column', () => {
    const t = oneHot(Uint8Array.from([2, 0, 1]), 3, 'float64');
    expect(t.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(t.dtype).toBe('float64');
  });

  it('rejects labels out of range or not integers, naming the index', () => {
    expect(() => oneHot([0, 10], 10)).toThrow(DataError);
    expect(() => oneHot([0, 10], 10)).toThrow('oneHot: label 10 at index 1 is outside [0, 10)');
    expect(() => oneHot([0.5], 2)).toThrow(/label 0.5 at index 0/);
    expect(() => oneHot([0], 0)).toThrow(OptionError);
  });
});
