import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, FormatError, OptionError } from 'tinydense';
import { loadTable } from 'tinydense/node';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tinydense-table-')), name);
  writeFileSync(path, text);
  return path;
}

describe('loadTable', () => {
  it('reads RFC 4180 CSV (quoted commas, quotes and line breaks, a BOM) by column name', async () => {
    const path = file('cars.csv', '\uFEFFname,hp,origin,mpg\r\n"ford ""pinto"", 2-door",75,USA,25\r\n"vw\nrabbit",70,Europe,29.5\r\n');
    const t = await loadTable(path, { features: ['hp', 'origin'], target: 'mpg', categorical: ['origin'] });
    expect(t.x.toArray()).toEqual([[75, 0, 1], [70, 1, 0]]);
    expect(t.y?.toArray()).toEqual([[25], [29.5]]);
    expect(t.featureNames).toEqual(['hp', 'origin=Europe', 'origin=USA']);
    expect(t.targetNames).toEqual(['mpg']);
    expect(t.classNames).toBeUndefined();
  });

  it('reads a JSON array of records; a categorical target gives one-hot y and class names', async () => {
    const path = file('p.json', JSON.stringify([{ a: 1, s: 'x' }, { a: 2, s: 'y' }, { a: null, s: 'x' }]));
    const t = await loadTable(path, { features: ['a'], target: 's', categorical: ['s'], missing: 'drop' });
    expect(t.classNames).toEqual(['x', 'y']);
    expect(t.y?.toArray()).toEqual([[1, 0], [0, 1]]);
    expect(t.dropped).toEqual([2]);
  });

  it('encodes a second file with the first one’s encoding', async () => {
    const train = await loadTable(file('a.csv', 'c,v\nred,1\nblue,2\n'), { features: ['c'], target: 'v', categorical: ['c'] });
    const fresh = await loadTable(file('b.csv', 'c,v\nred,5\n'), { encoding: train.encoding });
    expect(fresh.x.toArray()).toEqual([[0, 1]]);
    await expect(loadTable(file('c.csv', 'c,v\ngreen,5\n'), { encoding: train.encoding })).rejects.toThrow(/line 2: column "c" has "green", a category not seen/);
  });

  it('names the file, line and column of bad cells, and the columns a missing one could be', async () => {
    const path = file('t.csv', 'a,b\n1,2\n3,\n4,x\n');
    await expect(loadTable(path, { features: ['a'], target: 'b' })).rejects.toThrow(DataError);
    await expect(loadTable(path, { features: ['a'], target: 'b' })).rejects.toThrow(new RegExp(`loadTable: .*t\\.csv: line 3: column "b" is missing`));
    await expect(loadTable(path, { features: ['a'], target: 'b', missing: 'drop' })).rejects.toThrow(/line 4: column "b" has "x", not a number/);
    await expect(loadTable(path, { features: ['a'], target: 'B' })).rejects.toThrow(/no column "B"; the table has "a", "b"/);
    await expect(loadTable(path, {})).rejects.toThrow(OptionError);
  });

  it('rejects malformed CSV and JSON with a FormatError naming the file', async () => {
    await expect(loadTable(file('r.csv', 'a,b\n1,2,3\n'), { features: ['a'] })).rejects.toThrow(FormatError);
    await expect(loadTable(file('q.csv', 'a,b\n"1,2\n'), { features: ['a'] })).rejects.toThrow(/q\.csv is not valid CSV/);
    await expect(loadTable(file('j.json', '{"a": 1}'), { features: ['a'] })).rejects.toThrow(/must hold an array of records/);
    await expect(loadTable(file('k.json', '[1, 2]'), { features: ['a'] })).rejects.toThrow(/record 1 is 1, not an object/);
    await expect(loadTable(file('l.json', '[{'), { features: ['a'] })).rejects.toThrow(/l\.json is not valid JSON/);
  });
});
