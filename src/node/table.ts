/**
 * `loadTable`: a CSV file or a JSON array of records, as x and y for a network.
 *
 * @module
 */
import type { parse as CsvParse } from 'csv-parse/sync';
import { extname } from 'node:path';
import {
  FormatError, OptionError, TinyDenseError, encodeTable, encodedColumnNames, learnTableEncoding,
  type DType, type EncodedTable, type TableColumns, type TableEncoding,
} from 'tinydense';
import { readTextFile, type ReadOptions } from './files.js';

/** Options of {@link loadTable}. */
export interface LoadTableOptions extends Partial<TableColumns>, ReadOptions {
  /** Reuse the encoding of an earlier load (the training table's), so new rows encode the same way; replaces `features`, `target`, `categorical` and `missingValues`. */
  readonly encoding?: TableEncoding;
  /** `'error'` (default): a missing value is a `DataError` naming the line and column; `'drop'`: rows with one are left out. */
  readonly missing?: 'error' | 'drop';
  /** `'csv'` or `'json'` (default: from the file's extension, `.json` or else CSV). */
  readonly format?: 'csv' | 'json';
  /** The dtype of x and y (default `'float32'`). */
  readonly dtype?: DType;
}

/** What {@link loadTable} returns. */
export interface Table extends EncodedTable {
  /** The encoding used: save it beside the model to encode new rows the same way. */
  readonly encoding: TableEncoding;
  /** The name of each column of x: a numeric column's name, or `column=category` for a one-hot one. */
  readonly featureNames: readonly string[];
  /** The name of each column of y, in the same form. */
  readonly targetNames: readonly string[];
  /** For a single categorical target: its categories, the class of each column of y (e.g. species names). */
  readonly classNames: readonly string[] | undefined;
}

/**
 * Reads a table and encodes it for a network: a CSV file (RFC 4180: a header
 * row, quoted fields with commas, quotes and line breaks, parsed by the
 * `csv-parse` package, an optional peer dependency: `npm install csv-parse`), or
 * a JSON file holding an array of records. Choose the feature and target columns
 * by name; list the columns to one-hot encode in `categorical`; decide what a
 * missing value does with `missing`. The returned `encoding` encodes new rows the
 * same way (pass it back as `options.encoding`, or to `encodeTable`).
 *
 * The values are not scaled: put a `Normalization` layer first in the model.
 *
 * @param path - The `.csv` or `.json` file.
 * @param options - Columns, missing values, format; see {@link LoadTableOptions}.
 * @returns x, y, the encoding, and the names of the columns.
 * @throws `FormatError` naming the file for malformed CSV or JSON; `DataError` naming the line (CSV) or
 *   record (JSON) and the column for a missing value, a non-numeric cell in a numeric column or an unseen
 *   category; `OptionError` for a column the table lacks, bad options, or csv-parse not installed.
 * @example
 * ```ts
 * import { loadTable } from 'tinydense/node';
 * const penguins = await loadTable('penguins.csv', {
 *   features: ['island', 'bill_length_mm', 'flipper_length_mm', 'body_mass_g', 'sex'],
 *   target: 'species',
 *   categorical: ['island', 'sex', 'species'],
 *   missing: 'drop',
 * });
 * penguins.classNames; // ['Adelie', 'Chinstrap', 'Gentoo']
 * ```
 */
export async function loadTable(path: string, options: LoadTableOptions): Promise<Table> {
  const where = 'loadTable';
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object like { features, target }, got ${show(options)}`);
  const format = options.format ?? (extname(path).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new OptionError(`${where}: format must be 'csv' or 'json', got ${show(format)}`);
  const text = await readTextFile(path, options, where);
  const { records, rowName } = format === 'json' ? parseJsonRecords(text, path) : await parseCsvRecords(text, path);
  try {
    let encoding = options.encoding;
    if (encoding === undefined) {
      if (options.features === undefined) throw new OptionError(`${where}: options.features must name the feature columns (or pass an encoding)`);
      const columns: TableColumns = { features: options.features };
      encoding = learnTableEncoding(records, {
        ...columns,
        ...(options.target === undefined ? {} : { target: options.target }),
        ...(options.categorical === undefined ? {} : { categorical: options.categorical }),
        ...(options.missingValues === undefined ? {} : { missingValues: options.missingValues }),
      });
    }
    const encoded = encodeTable(records, encoding, { missing: options.missing ?? 'error', dtype: options.dtype ?? 'float32', rowName });
    const only = encoding.targets.length === 1 ? encoding.targets[0] : undefined;
    return {
      ...encoded,
      encoding,
      featureNames: encodedColumnNames(encoding.features),
      targetNames: encodedColumnNames(encoding.targets),
      classNames: only?.categories,
    };
  } catch (e) {
    if (e instanceof TinyDenseError) e.message = `${where}: ${path}: ${e.message.replace(/^(learnTableEncoding|encodeTable|loadTable): /, '')}`;
    throw e;
  }
}

interface Records {
  readonly records: Record<string, unknown>[];
  /** Names record i for messages. */
  readonly rowName: (index: number) => string;
}

function parseJsonRecords(text: string, path: string): Records {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`loadTable: ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new FormatError(`loadTable: ${path} must hold an array of records, got ${show(data)}`);
  const bad = data.findIndex((r: unknown) => typeof r !== 'object' || r === null || Array.isArray(r));
  if (bad !== -1) throw new FormatError(`loadTable: ${path}: record ${bad + 1} is ${show(data[bad])}, not an object`);
  return { records: data as Record<string, unknown>[], rowName: (i) => `record ${i + 1}` };
}

async function parseCsvRecords(text: string, path: string): Promise<Records> {
  let parse: typeof CsvParse;
  try {
    ({ parse } = await import('csv-parse/sync'));
  } catch {
    throw new OptionError('loadTable: reading CSV needs the csv-parse package: npm install csv-parse');
  }
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, { columns: true, bom: true, skip_empty_lines: true, info: true }) as unknown as typeof parsed;
  } catch (e) {
    throw new FormatError(`loadTable: ${path} is not valid CSV: ${(e as Error).message}`);
  }
  // info.lines is the line the record ends on; a quoted field may span several.
  return { records: parsed.map((p) => p.record), rowName: (i) => `line ${(parsed[i] as { info: { lines: number } }).info.lines}` };
}

/** A value for a message: a short, quoted form. */
function show(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v) ?? String(v);
}
