import { describe, expect, it } from 'vitest';
import { DataError, OptionError, encodeTable, encodedColumnNames, learnTableEncoding } from 'tinydense';

const rows = [
  { island: 'Dream', mass: 3800, sex: 'MALE', species: 'Adelie' },
  { island: 'Biscoe', mass: '5000', sex: 'FEMALE', species: 'Gentoo' },
  { island: 'Dream', mass: 3500, sex: 'NA', species: 'Chinstrap' },
];
const columns = { features: ['island', 'mass', 'sex'], target: 'species', categorical: ['island', 'sex', 'species'] };

describe('table encoding', () => {
  it('learns sorted categories and one-hot encodes them beside the numbers (numeric text parsed)', () => {
    const encoding = learnTableEncoding(rows, columns);
    expect(encoding.features).toEqual([{ name: 'island', categories: ['Biscoe', 'Dream'] }, { name: 'mass' }, { name: 'sex', categories: ['FEMALE', 'MALE'] }]);
    expect(encoding.targets).toEqual([{ name: 'species', categories: ['Adelie', 'Chinstrap', 'Gentoo'] }]);
    expect(encodedColumnNames(encoding.features)).toEqual(['island=Biscoe', 'island=Dream', 'mass', 'sex=FEMALE', 'sex=MALE']);
    const { x, y, rows: kept, dropped } = encodeTable(rows, encoding, { missing: 'drop', dtype: 'float64' });
    expect(x.toArray()).toEqual([[0, 1, 3800, 0, 1], [1, 0, 5000, 1, 0]]);
    expect(y?.toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(kept).toEqual([0, 1]);
    expect(dropped).toEqual([2]);
  });

  it('encodes new rows the same way, with or without targets, and survives JSON', () => {
    const encoding = JSON.parse(JSON.stringify(learnTableEncoding(rows, columns)));
    const { x, y } = encodeTable([{ island: 'Biscoe', mass: 4000, sex: 'MALE' }], encoding);
    expect(Array.from(x.data)).toEqual([1, 0, 4000, 0, 1]);
    expect(y).toBeUndefined();
  });

  it('names the row, column and value of what it cannot encode', () => {
    const encoding = learnTableEncoding(rows, columns);
    expect(() => encodeTable(rows, encoding)).toThrow(/row 3: column "sex" is missing \(pass missing: 'drop'/);
    expect(() => encodeTable([{ island: 'Torgersen', mass: 1, sex: 'MALE' }], encoding)).toThrow(
      /row 1: column "island" has "Torgersen", a category not seen when the encoding was learned \("Biscoe", "Dream"\)/,
    );
    expect(() => encodeTable([{ island: 'Dream', mass: '4 kg', sex: 'MALE' }], encoding)).toThrow(DataError);
    expect(() => encodeTable([{ island: 'Dream', mass: '4 kg', sex: 'MALE' }], encoding)).toThrow(/column "mass" has "4 kg", not a number \(list the column in categorical/);
    expect(() => encodeTable([{ island: 'Dream', mass: true, sex: 'MALE' }], encoding)).toThrow(/not a number/);
    expect(() => encodeTable(rows, encoding, { missing: 'skip' as never })).toThrow(OptionError);
  });

  it('rejects columns that do not exist, overlap, or are categorical without being used', () => {
    expect(() => learnTableEncoding(rows, { features: ['mass'], target: 'Species' })).toThrow(/no column "Species"; the table has "island", "mass", "sex", "species"/);
    expect(() => learnTableEncoding(rows, { features: ['mass', 'island'], target: 'mass' })).toThrow(/named twice/);
    expect(() => learnTableEncoding(rows, { features: ['mass'], categorical: ['island'] })).toThrow(/categorical column "island" is not among/);
    expect(() => learnTableEncoding(rows, { features: [] })).toThrow(OptionError);
    expect(() => learnTableEncoding([{ a: null }], { features: ['a'], categorical: ['a'] })).toThrow(/has no values/);
  });
});
