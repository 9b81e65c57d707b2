/**
 * `loadCsv`: labelled images from a CSV file in the Kaggle digit-recognizer format
 * (for a general table, see `loadTable`).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DataError, FormatError, Tensor, type DType } from 'tinydense';

/** Options of {@link loadCsv}. */
export interface LoadCsvOptions {
  /** The label column's header name or index (default `'label'`); `null` for an unlabelled file. */
  readonly labelColumn?: string | number | null;
  /** Divide every value by 255, taking 0–255 pixels to [0, 1] (default false: the values as written). */
  readonly normalize?: boolean;
  /** The dtype of the features (default `'float32'`). */
  readonly dtype?: DType;
}

/** What {@link loadCsv} returns. */
export interface CsvData {
  /** `[rows, features]`: every column but the label. */
  readonly images: Tensor;
  /** The label of each row (empty when `labelColumn` is `null`). */
  readonly labels: Uint8Array;
  /** The header's names of the feature columns. */
  readonly columns: readonly string[];
}

/**
 * Reads a CSV with a header row, such as Kaggle's digit-recognizer `train.csv`
 * (`label,pixel0,…,pixel783`, one image per line). The file is streamed line by
 * line into a growing typed array, so its text is never held in memory whole.
 *
 * @param path - The CSV file.
 * @param options - See {@link LoadCsvOptions}.
 * @returns The features, labels and column names.
 * @throws `FormatError` naming the file and line for a ragged row, a non-numeric cell,
 *   a missing header or label column; `DataError` for a label that is not an integer in 0–255
 *   or a value outside the dtype's range.
 * @example
 * ```ts
 * import { loadCsv } from 'tinydense/node';
 * const { images, labels } = await loadCsv('train.csv', { labelColumn: 'label', normalize: true }); // pixels / 255
 * ```
 */
export async function loadCsv(path: string, options: LoadCsvOptions = {}): Promise<CsvData> {
  const labelOption = options.labelColumn === undefined ? 'label' : options.labelColumn;
  const scale = options.normalize === true ? 1 / 255 : 1;
  const dtype = options.dtype ?? 'float32';
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let header: string[] | undefined;
  let labelIndex = -1;
  let width = 0;
  let values: Float32Array | Float64Array = dtype === 'float64' ? new Float64Array(0) : new Float32Array(0);
  let labels = new Uint8Array(0);
  let rows = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (header === undefined) {
      header = cells.map((c) => c.trim());
      if (labelOption !== null) {
        labelIndex = typeof labelOption === 'number' ? labelOption : header.indexOf(labelOption);
        if (labelIndex < 0 || labelIndex >= header.length) {
          throw new FormatError(`${path}: line 1: no label column ${JSON.stringify(labelOption)} in the header (${header.slice(0, 4).join(',')}…)`);
        }
      }
      width = header.length - (labelIndex >= 0 ? 1 : 0);
      continue;
    }
    if (cells.length !== header.length) {
      throw new FormatError(`${path}: line ${lineNumber}: ${cells.length} cells, but the header has ${header.length}`);
    }
    if (rows * width >= values.length) {
      // Double the capacity: amortised O(1) per row, at most twice the final size.
      const capacity = Math.max(1024, rows * 2);
      const grown = dtype === 'float64' ? new Float64Array(capacity * width) : new Float32Array(capacity * width);
      grown.set(values);
      values = grown;
      const grownLabels = new Uint8Array(capacity);
      grownLabels.set(labels);
      labels = grownLabels;
    }
    let column = 0;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as string;
      const v = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(v)) {
        throw new FormatError(`${path}: line ${lineNumber}, column ${c + 1} (${header[c]}): ${JSON.stringify(cell)} is not a number`);
      }
      if (c === labelIndex) {
        if (!Number.isInteger(v) || v < 0 || v > 255) throw new DataError(`${path}: line ${lineNumber}: label ${cell} is not an integer in 0–255`);
        labels[rows] = v;
      } else {
        const at = rows * width + column++;
        values[at] = v * scale;
        // A finite double can still overflow float32 (e.g. 25E95): check the value as stored.
        if (!Number.isFinite(values[at] as number)) {
          throw new DataError(`${path}: line ${lineNumber}, column ${c + 1} (${header[c]}): ${cell} is outside the ${dtype} range`);
        }
      }
    }
    rows++;
  }
  if (header === undefined) throw new FormatError(`${path}: the file is empty; expected a header row`);
  return {
    images: new Tensor(values.slice(0, rows * width), [rows, width]),
    labels: labelIndex >= 0 ? labels.slice(0, rows) : new Uint8Array(0),
    columns: header.filter((_, c) => c !== labelIndex),
  };
}
