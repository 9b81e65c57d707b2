/**
 * Tables of records (a CSV's rows, a JSON array of objects) turned into the
 * numbers a network takes: numeric columns as they are, categorical columns
 * one-hot, with the mapping kept so new rows encode the same way.
 *
 * @module
 */
import { DataError, OptionError, describe } from './errors.js';
import { Tensor, allocate, type DType } from './tensor.js';

/** How one column is encoded: a number as it is, or one-hot over `categories`. */
export interface ColumnEncoding {
  /** The column's name in the table. */
  readonly name: string;
  /** The values seen when the encoding was learned, sorted; absent for a numeric column. Each becomes one 0/1 column. */
  readonly categories?: readonly string[];
}

/**
 * How a table's records become `x` (features) and `y` (targets): plain data,
 * so it can be saved beside a model and used again at prediction time.
 */
export interface TableEncoding {
  /** The feature columns, in the order of x's columns. */
  readonly features: readonly ColumnEncoding[];
  /** The target columns, in the order of y's columns (empty for a table without targets). */
  readonly targets: readonly ColumnEncoding[];
  /** Cell texts that mean "missing" (besides `null` and an absent field). */
  readonly missingValues: readonly string[];
}

/** Which columns of a table to use, for {@link learnTableEncoding}. */
export interface TableColumns {
  /** The feature columns, by name, in the order wanted. */
  readonly features: readonly string[];
  /** The target column, or columns (none for a table to predict on). */
  readonly target?: string | readonly string[];
  /** The columns to one-hot encode (features or targets); every other column must hold numbers. */
  readonly categorical?: readonly string[];
  /** Cell texts that mean "missing" (default `''`, `'NA'`, `'N/A'`, `'NaN'`, `'null'`; `null` and absent fields always are). */
  readonly missingValues?: readonly string[];
}

/** Options of {@link encodeTable}. */
export interface EncodeTableOptions {
  /** `'error'` (default): a missing value is a `DataError` naming row and column; `'drop'`: rows with one are left out. */
  readonly missing?: 'error' | 'drop';
  /** The dtype of x and y (default `'float32'`). */
  readonly dtype?: DType;
  /** Encode the targets too (default: when the encoding has targets and the records hold them). */
  readonly targets?: boolean;
  /** How to name record i in messages (default `row ${i + 1}`), e.g. with a file's line number. */
  readonly rowName?: (index: number) => string;
}

/** A table encoded: x, y, and which records they came from. */
export interface EncodedTable {
  /** The features, `[rows, features]`, one-hot columns included. */
  readonly x: Tensor;
  /** The targets, `[rows, targets]` (one-hot for a categorical target), or `undefined` when not encoded. */
  readonly y: Tensor | undefined;
  /** The index of the record each row of x came from. */
  readonly rows: readonly number[];
  /** The indices of the records dropped for a missing value (with `missing: 'drop'`). */
  readonly dropped: readonly number[];
}

const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'null'];

/**
 * Learns a {@link TableEncoding} from records: which columns are features and
 * targets, and, for each categorical column, its categories (the distinct values
 * present, sorted, so the encoding does not depend on the rows' order).
 *
 * @param records - The table's rows as objects keyed by column name.
 * @param columns - Which columns to use; see {@link TableColumns}.
 * @returns The encoding.
 * @throws {@link OptionError} for a column no record has (naming the columns there are), a column
 *   used twice, or a categorical column that is not used; {@link DataError} for a categorical column with no values.
 * @example
 * ```ts
 * import { encodeTable, learnTableEncoding } from 'tinydense';
 * const rows = [{ island: 'Dream', mass: 3800, species: 'Adelie' }, { island: 'Biscoe', mass: 5000, species: 'Gentoo' }];
 * const encoding = learnTableEncoding(rows, { features: ['island', 'mass'], target: 'species', categorical: ['island', 'species'] });
 * const { x, y } = encodeTable(rows, encoding); // x: [[0, 1, 3800], [1, 0, 5000]], y: [[1, 0], [0, 1]]
 * ```
 */
export function learnTableEncoding(records: readonly Readonly<Record<string, unknown>>[], columns: TableColumns): TableEncoding {
  const where = 'learnTableEncoding';
  if (!Array.isArray(records)) throw new OptionError(`${where}: records must be an array of objects, got ${describe(records)}`);
  if (typeof columns !== 'object' || columns === null) throw new OptionError(`${where}: columns must be an object like { features, target }, got ${describe(columns)}`);
  const names = (v: unknown, what: string): string[] => {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) throw new OptionError(`${where}: ${what} must be column names, got ${describe(v)}`);
    return list as string[];
  };
  const features = names(columns.features, 'features');
  if (features.length === 0) throw new OptionError(`${where}: features must name at least one column`);
  const targets = columns.target === undefined ? [] : names(columns.target, 'target');
  const categorical = new Set(names(columns.categorical ?? [], 'categorical'));
  const missingValues = names(columns.missingValues ?? DEFAULT_MISSING, 'missingValues');
  const present = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) present.add(key);
  const used = new Set<string>();
  for (const name of [...features, ...targets]) {
    if (used.has(name)) throw new OptionError(`${where}: column ${JSON.stringify(name)} is named twice (features and target must not overlap)`);
    used.add(name);
    if (!present.has(name)) throw new OptionError(`${where}: no column ${JSON.stringify(name)}; the table has ${[...present].map((c) => JSON.stringify(c)).join(', ') || 'no columns'}`);
  }
  for (const name of categorical) if (!used.has(name)) throw new OptionError(`${where}: categorical column ${JSON.stringify(name)} is not among the features or the target`);
  const missing = new Set(missingValues);
  const encode = (name: string): ColumnEncoding => {
    if (!categorical.has(name)) return { name };
    const seen = new Set<string>();
    for (const record of records) {
      const v = record[name];
      if (!isMissing(v, missing)) seen.add(String(v));
    }
    if (seen.size === 0) throw new DataError(`${where}: categorical column ${JSON.stringify(name)} has no values`);
    return { name, categories: [...seen].sort() };
  };
  return { features: features.map(encode), targets: targets.map(encode), missingValues };
}

/**
 * Encodes records by a {@link TableEncoding}: numbers as they are (numeric text
 * is parsed), each categorical value as a one-hot group of columns. Use the
 * encoding learned from the training rows for every later row, so a model sees
 * new rows exactly as it saw the training ones.
 *
 * @param records - The rows as objects keyed by column name.
 * @param encoding - From {@link learnTableEncoding} (or `loadTable`).
 * @param options - Missing values, dtype; see {@link EncodeTableOptions}.
 * @returns x, y and the records they came from.
 * @throws {@link DataError} naming the row, column and value for a non-numeric cell in a numeric column,
 *   a category the encoding has never seen, or (with `missing: 'error'`) a missing value; {@link OptionError} for bad options.
 */
export function encodeTable(records: readonly Readonly<Record<string, unknown>>[], encoding: TableEncoding, options: EncodeTableOptions = {}): EncodedTable {
  const where = 'encodeTable';
  if (!Array.isArray(records)) throw new OptionError(`${where}: records must be an array of objects, got ${describe(records)}`);
  const mode = options.missing ?? 'error';
  if (mode !== 'error' && mode !== 'drop') throw new OptionError(`${where}: missing must be 'error' or 'drop', got ${describe(mode)}`);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new OptionError(`${where}: dtype must be 'float32' or 'float64', got ${describe(dtype)}`);
  const rowName = options.rowName ?? ((i: number): string => `row ${i + 1}`);
  const withTargets = options.targets ?? (encoding.targets.length > 0 && records.every((r) => encoding.targets.some((c) => c.name in r)));
  const missing = new Set(encoding.missingValues);
  const columns = withTargets ? [...encoding.features, ...encoding.targets] : encoding.features;
  const kept: number[] = [];
  const dropped: number[] = [];
  records.forEach((record, i) => {
    const gap = columns.find((c) => isMissing(record[c.name], missing));
    if (gap === undefined) kept.push(i);
    else if (mode === 'drop') dropped.push(i);
    else throw new DataError(`${where}: ${rowName(i)}: column ${JSON.stringify(gap.name)} is missing (pass missing: 'drop' to leave such rows out)`);
  });
  const fill = (part: readonly ColumnEncoding[]): Tensor => {
    const width = part.reduce((w, c) => w + (c.categories?.length ?? 1), 0);
    const data = allocate(dtype, kept.length * width);
    kept.forEach((i, r) => {
      let at = r * width;
      for (const c of part) {
        const v = (records[i] as Record<string, unknown>)[c.name];
        if (c.categories === undefined) {
          data[at++] = numeric(v, () => `${where}: ${rowName(i)}: column ${JSON.stringify(c.name)} has ${describe(v)}, not a number (list the column in categorical to one-hot encode it)`);
          continue;
        }
        const k = c.categories.indexOf(String(v));
        if (k === -1) {
          throw new DataError(`${where}: ${rowName(i)}: column ${JSON.stringify(c.name)} has ${JSON.stringify(String(v))}, a category not seen when the encoding was learned (${c.categories.map((s) => JSON.stringify(s)).join(', ')})`);
        }
        data[at + k] = 1;
        at += c.categories.length;
      }
    });
    return new Tensor(data, [kept.length, width]);
  };
  return { x: fill(encoding.features), y: withTargets ? fill(encoding.targets) : undefined, rows: kept, dropped };
}

/**
 * The names of the encoded columns: a numeric column's name, or `name=category`
 * for each one-hot column.
 *
 * @param columns - `encoding.features` or `encoding.targets`.
 * @returns One name per column of x (or y).
 */
export function encodedColumnNames(columns: readonly ColumnEncoding[]): string[] {
  return columns.flatMap((c) => (c.categories === undefined ? [c.name] : c.categories.map((k) => `${c.name}=${k}`)));
}

function isMissing(v: unknown, missing: ReadonlySet<string>): boolean {
  return v === null || v === undefined || (typeof v === 'string' && missing.has(v.trim()));
}

function numeric(v: unknown, message: () => string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new DataError(message());
  return n;
}
