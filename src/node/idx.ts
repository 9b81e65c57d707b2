/**
 * `readIdx`: the IDX file format of MNIST (LeCun's), raw or gzip-compressed.
 *
 * @module
 */
import { gunzipSync } from 'node:zlib';
import { FormatError } from 'tinydense';

/** A parsed IDX file: the dimensions from its header and its unsigned bytes. */
export interface IdxData {
  /** 2049 for labels, 2051 for images. */
  readonly magic: 2049 | 2051;
  /** `[n]` for labels, `[n, rows, cols]` for images. */
  readonly dims: readonly number[];
  /** The values, one byte each, in row-major order. */
  readonly data: Uint8Array;
}

const GZIP = [0x1f, 0x8b] as const;

/**
 * Parses an MNIST IDX file: a big-endian header (magic 2049 for a label file with
 * one dimension, 2051 for an image file with three) followed by unsigned bytes.
 * Gzip-compressed files (the `.gz` downloads) are detected and inflated.
 *
 * @param bytes - The file's contents.
 * @param name - The file's name, for error messages (default `'IDX data'`).
 * @returns The header's dimensions and the data.
 * @throws {@link tinydense!FormatError} naming the file when the gzip stream is corrupt, the
 *   magic number is not 2049 or 2051, the header is truncated, or the size does not
 *   match the header.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readIdx } from 'tinydense/node';
 * const { dims, data } = readIdx(readFileSync('train-labels-idx1-ubyte'), 'train-labels-idx1-ubyte');
 * ```
 */
export function readIdx(bytes: Uint8Array, name = 'IDX data'): IdxData {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === GZIP[0] && buf[1] === GZIP[1]) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new FormatError(`${name}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  if (buf.length < 8) throw new FormatError(`${name}: truncated header: ${buf.length} bytes, an IDX header needs at least 8`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 2049 && magic !== 2051) {
    throw new FormatError(`${name}: magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}); expected 2049 (labels) or 2051 (images)`);
  }
  const rank = magic === 2049 ? 1 : 3;
  const headerSize = 4 + 4 * rank;
  if (buf.length < headerSize) throw new FormatError(`${name}: truncated header: ${buf.length} bytes, expected ${headerSize}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = buf.length - headerSize;
  if (actual !== expected) {
    throw new FormatError(
      `${name}: the header says ${dims.join('×')} = ${expected} bytes of data, but the file has ${actual}${actual < expected ? ' (truncated)' : ''}`,
    );
  }
  return { magic, dims, data: buf.subarray(headerSize) };
}
