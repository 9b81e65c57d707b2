/**
 * `saveTfjs` and `loadTfjs`: TensorFlow.js's layers format on disk, `model.json`
 * and one weights file, as `tf.loadLayersModel('file://…/model.json')` reads it.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, type Sequential } from 'tinydense';
import { fromTfjs, toTfjs, type FromTfjsOptions, type TfjsWeightSpec } from 'tinydense/interop';
import { DEFAULT_MAX_BYTES, FileError, readTextFile, writeFileAtomic, type ReadOptions } from './files.js';

/** The weights file `saveTfjs` writes beside `model.json`. */
const WEIGHTS = 'group1-shard1of1.bin';

/**
 * Saves a model in TensorFlow.js's layers format: `dir/model.json` and
 * `dir/group1-shard1of1.bin` (see `toTfjs` for how each layer is written). Each
 * file is written atomically, the weights first, so a reader never finds a
 * `model.json` whose weights are not there yet. The directory is created if needed.
 *
 * @param model - The model.
 * @param dir - The directory.
 * @throws `FormatError` for a layer with no TF.js form; {@link FileError} for the file system's errors.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { saveTfjs } from 'tinydense/node';
 * saveTfjs(new Sequential([new Dense(2, 1), new Sigmoid()]), 'web-model');
 * // in TF.js: await tf.loadLayersModel('file://web-model/model.json') (or an http:// URL in a page)
 * ```
 */
export function saveTfjs(model: Sequential, dir: string): void {
  const { modelTopology, weightSpecs, weightData } = toTfjs(model);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FileError(`saveTfjs: cannot create ${dir}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code);
  }
  writeFileAtomic(join(dir, WEIGHTS), new Uint8Array(weightData));
  const json = { format: 'layers-model', generatedBy: 'tinydense', convertedBy: null, modelTopology, weightsManifest: [{ paths: [WEIGHTS], weights: weightSpecs }] };
  writeFileAtomic(join(dir, 'model.json'), JSON.stringify(json));
}

/** Options of {@link loadTfjs}. */
export interface LoadTfjsOptions extends FromTfjsOptions, ReadOptions {}

/**
 * Loads a TensorFlow.js layers model saved on disk (by `saveTfjs`, TF.js's
 * `model.save('file://…')` or the `tensorflowjs` converter): its `model.json` and
 * the weight files its manifest lists, which must lie beside it.
 *
 * @param path - The directory holding `model.json`, or the `model.json` file itself.
 * @param options - The dtype, and `maxBytes` for each file (default 256 MiB).
 * @returns The model.
 * @throws `FormatError` naming what is malformed or unsupported; {@link FileError} for a file too large or missing.
 * @example
 * ```ts
 * import { loadTfjs } from 'tinydense/node';
 * const model = await loadTfjs('web-model');
 * ```
 */
export async function loadTfjs(path: string, options: LoadTfjsOptions = {}): Promise<Sequential> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'model.json');
  } catch {
    // not there: readTextFile names it
  }
  const text = await readTextFile(file, options, 'loadTfjs');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new FormatError(`loadTfjs: ${file} is not valid JSON (${(e as Error).message})`);
  }
  const manifest = json.weightsManifest;
  if (typeof json !== 'object' || json === null || !Array.isArray(manifest)) throw new FormatError(`loadTfjs: ${file} has no weightsManifest array`);
  const specs: TfjsWeightSpec[] = [];
  const parts: Uint8Array[] = [];
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  for (const [g, group] of manifest.entries()) {
    const paths = (group as { paths?: unknown }).paths;
    const weights = (group as { weights?: unknown }).weights;
    if (!Array.isArray(paths) || !Array.isArray(weights)) throw new FormatError(`loadTfjs: ${file}: weightsManifest[${g}] must have paths and weights arrays`);
    specs.push(...(weights as TfjsWeightSpec[]));
    for (const p of paths) {
      // only files beside model.json: a manifest must not reach elsewhere on the disk
      if (typeof p !== 'string' || p === '' || basename(p) !== p || p === '.' || p === '..') {
        throw new FormatError(`loadTfjs: ${file}: weightsManifest[${g}].paths holds ${JSON.stringify(p)}, not a file name beside model.json`);
      }
      const weightsFile = join(dirname(file), p);
      try {
        const { size } = await stat(weightsFile);
        if (size > maxBytes) throw new FileError(`loadTfjs: ${weightsFile} is ${size.toLocaleString('en-US')} bytes, more than maxBytes (${maxBytes.toLocaleString('en-US')})`);
        parts.push(new Uint8Array(await readFile(weightsFile)));
      } catch (e) {
        if (e instanceof FileError) throw e;
        throw new FileError(`loadTfjs: cannot read ${weightsFile}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code);
      }
    }
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    weightData.set(p, at);
    at += p.length;
  }
  try {
    return fromTfjs({ modelTopology: json.modelTopology as Record<string, unknown>, weightSpecs: specs, weightData: weightData.buffer }, options);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`loadTfjs: ${file}: ${e.message.replace(/^fromTfjs: /, '')}`);
    throw e;
  }
}
