import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, FormatError } from 'tinydense';
import { loadCsv } from 'tinydense/node';

function csv(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tinydense-csv-')), 'train.csv');
  writeFileSync(path, text);
  return path;
}

describe('loadCsv', () => {
  it('reads the Kaggle digit-recognizer layout: label column, pixels scaled to [0, 1] when asked', async () => {
    const path = csv('label,pixel0,pixel1,pixel2\n1,0,255,51\n0,102,0,0\n');
    expect((await loadCsv(path)).images.toArray()).toEqual([[0, 255, 51], [102, 0, 0]]); // as written, unless asked
    const { images, labels, columns } = await loadCsv(path, { normalize: true });
    expect(images.shape).toEqual([2, 3]);
    expect(images.toArray()).toEqual([[0, 1, Math.fround(0.2)], [Math.fround(0.4), 0, 0]]);
    expect(Array.from(labels)).toEqual([1, 0]);
    expect(columns).toEqual(['pixel0', 'pixel1', 'pixel2']);
  });

  it('takes the label column by name or index, or none; handles CRLF and blank lines; grows past its first buffer', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i % 7},${i % 10}`).join('\r\n');
    const { images, labels } = await loadCsv(csv(`a,digit\r\n${rows}\r\n\r\n`), { labelColumn: 'digit', normalize: false });
    expect(images.shape).toEqual([3000, 1]);
    expect(images.get(2999, 0)).toBe(2999 % 7);
    expect(labels[2999]).toBe(9);
    const unlabelled = await loadCsv(csv('p0,p1\n1,2\n'), { labelColumn: null, normalize: false });
    expect(unlabelled.images.toArray()).toEqual([[1, 2]]);
    expect(unlabelled.labels.length).toBe(0);
    expect((await loadCsv(csv('p0,y\n1,2\n'), { labelColumn: 1 })).labels[0]).toBe(2);
  });

  const bad: [string, string, new (...a: never[]) => Error, RegExp][] = [
    ['a ragged row', 'label,p0,p1\n1,2,3\n4,5\n', FormatError, /train\.csv: line 3: 2 cells, but the header has 3/],
    ['a non-numeric cell', 'label,p0,p1\n1,2,3\n4,x,6\n', FormatError, /train\.csv: line 3, column 2 \(p0\): "x" is not a number/],
    ['an empty cell', 'label,p0\n1,\n', FormatError, /line 2, column 2 \(p0\): "" is not a number/],
    ['a missing label column', 'digit,p0\n1,2\n', FormatError, /line 1: no label column "label" in the header/],
    ['a fractional label', 'label,p0\n1.5,2\n', DataError, /line 2: label 1\.5 is not an integer in 0–255/],
    ['an empty file', '', FormatError, /the file is empty/],
    ['a value beyond float32 (found by the fuzz test)', 'label,p0,p1\n1,0,25E95\n', DataError, /line 2, column 3 \(p1\): 25E95 is outside the float32 range/],
  ];
  for (const [name, text, type, message] of bad) {
    it(`rejects ${name}, naming the line`, async () => {
      const path = csv(text);
      await expect(loadCsv(path)).rejects.toThrow(type);
      await expect(loadCsv(path)).rejects.toThrow(message);
    });
  }
});
