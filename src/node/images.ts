/**
 * `loadImageFolder`: labelled digits from a folder of PNG files.
 *
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, OptionError, Tensor, type DType } from 'tinydense';
import type { PNG } from 'pngjs';

/** Options of {@link loadImageFolder}. */
export interface LoadImageFolderOptions {
  /** The image width and height in pixels (default 28). */
  readonly size?: number;
  /** Scale grey levels from 0–255 to [0, 1] (default true). */
  readonly normalize?: boolean;
  /** The images' dtype (default `'float32'`). */
  readonly dtype?: DType;
}

/** What {@link loadImageFolder} returns. */
export interface ImageFolder {
  /** `[n, size²]`, one flattened grey image per row. */
  readonly images: Tensor;
  /** The digit of each image: the name of its sub-folder. */
  readonly labels: Uint8Array;
  /** Each image's path, in row order. */
  readonly files: readonly string[];
}

/** pngjs's PNG class, as loaded on demand. */
export type PngClass = typeof PNG;

/**
 * Decodes one PNG into `size × size` grey levels 0–255 (luma of RGB; exact for grey
 * images, since pngjs always decodes to RGBA). Internal to `loadImageFolder`.
 *
 * @param PNG - pngjs's PNG class.
 * @param bytes - The file's contents.
 * @param name - The file's name, for messages.
 * @param size - The required width and height.
 * @returns The grey levels, row by row.
 * @throws `FormatError` naming the file if it cannot be decoded or has the wrong size.
 */
export function decodeGreyPng(PNG: PngClass, bytes: Uint8Array, name: string, size: number): Uint8Array {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new FormatError(`${name}: not a readable PNG (${(e as Error).message})`);
  }
  if (png.width !== size || png.height !== size) {
    throw new FormatError(`${name}: ${png.width}×${png.height} pixels, expected ${size}×${size}`);
  }
  const rgba = png.data;
  if (rgba.length < 4 * size * size) throw new FormatError(`${name}: decoded ${rgba.length} bytes, expected ${4 * size * size}`);
  const grey = new Uint8Array(size * size);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = Math.round(0.299 * (rgba[4 * p] as number) + 0.587 * (rgba[4 * p + 1] as number) + 0.114 * (rgba[4 * p + 2] as number));
  }
  return grey;
}

/**
 * Reads `dir/0/*.png … dir/9/*.png`: each sub-folder named for a digit holds PNG
 * images of that digit. Images must be `size × size` (28 × 28 by default); grey or
 * colour (converted to grey by luma, 0.299 R + 0.587 G + 0.114 B). Files are read
 * in sorted order, so rows are reproducible. Decoding uses `pngjs` (an optional
 * peer dependency: `npm install pngjs`).
 *
 * @param dir - The folder holding the digit sub-folders.
 * @param options - See {@link LoadImageFolderOptions}.
 * @returns The images, labels and file paths.
 * @throws `FormatError` naming the file that cannot be decoded or has the wrong size,
 *   or when there is no digit sub-folder; `OptionError` if `pngjs` is not installed.
 * @example
 * ```ts
 * import { loadImageFolder } from 'tinydense/node';
 * const { images, labels } = await loadImageFolder('data/train');
 * ```
 */
export async function loadImageFolder(dir: string, options: LoadImageFolderOptions = {}): Promise<ImageFolder> {
  const size = options.size ?? 28;
  const scale = (options.normalize ?? true) ? 1 / 255 : 1;
  let PNG: PngClass;
  try {
    ({ PNG } = await import('pngjs'));
  } catch {
    throw new OptionError('loadImageFolder: decoding PNG files needs the pngjs package: npm install pngjs');
  }
  const files: string[] = [];
  const labels: number[] = [];
  const digits = readdirSync(dir).filter((d) => /^[0-9]$/.test(d) && statSync(join(dir, d)).isDirectory()).sort();
  if (digits.length === 0) throw new FormatError(`${dir}: no digit sub-folders (0 … 9) found`);
  for (const digit of digits) {
    for (const name of readdirSync(join(dir, digit)).filter((f) => f.toLowerCase().endsWith('.png')).sort()) {
      files.push(join(dir, digit, name));
      labels.push(Number(digit));
    }
  }
  const images = Tensor.zeros([files.length, size * size], options.dtype ?? 'float32');
  files.forEach((file, row) => {
    const grey = decodeGreyPng(PNG, readFileSync(file), file, size);
    const offset = row * size * size;
    for (let p = 0; p < grey.length; p++) images.data[offset + p] = (grey[p] as number) * scale;
  });
  return { images, labels: Uint8Array.from(labels), files };
}
