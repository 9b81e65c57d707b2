/**
 * Atomic file writes, and saving and loading models with them.
 *
 * @module
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, Sequential, createCheckpoint, restoreCheckpoint, type Checkpoint, type Optimizer } from 'tinydense';

/**
 * Writes a file so that readers see either the old contents or the new, never a
 * mix: the data goes to a temporary file beside the target, is flushed to disk
 * (fsync), then renamed over the target (rename is atomic on one file system).
 * On any error the temporary file is removed and the target is untouched.
 *
 * @param path - The file to write.
 * @param data - Its new contents.
 * @throws The file system's error (e.g. `ENOENT` for a missing directory).
 * @example
 * ```ts
 * import { writeFileAtomic } from 'tinydense/node';
 * writeFileAtomic('settings.json', JSON.stringify({ epochs: 30 }));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
}

/**
 * Saves a model as JSON (see `Sequential.toJSON`), atomically: a crash during the
 * save leaves the previous file intact.
 *
 * @param model - The model.
 * @param path - The file to write, e.g. `model.json`.
 * @throws `FormatError` if the model has a custom layer that cannot be serialized; the file system's errors.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from 'tinydense';
 * import { saveModel } from 'tinydense/node';
 * saveModel(new Sequential([new Dense(2, 1), new Sigmoid()]), 'model.json');
 * ```
 */
export function saveModel(model: Sequential, path: string): void {
  writeFileAtomic(path, JSON.stringify(model.toJSON()));
}

/**
 * Loads a model saved by {@link saveModel}; it predicts bit-identically.
 *
 * @param path - The file to read.
 * @returns The model.
 * @throws `FormatError` naming the file and the malformed field; the file system's errors (e.g. `ENOENT`).
 * @example
 * ```ts
 * import { loadModel } from 'tinydense/node';
 * const model = await loadModel('model.json');
 * ```
 */
export async function loadModel(path: string): Promise<Sequential> {
  const text = await readFile(path, 'utf8');
  try {
    return Sequential.fromJSON(text);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Saves a training checkpoint (model, optimizer state, RNG state, epoch; see
 * `createCheckpoint`) atomically: temporary file, fsync, rename. A crash during
 * the save leaves the previous checkpoint loadable.
 *
 * @param path - The file to write.
 * @param state - The model, its optimizer and the epochs completed.
 * @throws `FormatError` if the optimizer cannot report its state; the file system's errors.
 * @example
 * ```ts
 * import { Dense, SGD, Sequential } from 'tinydense';
 * import { saveCheckpoint } from 'tinydense/node';
 * const model = new Sequential([new Dense(2, 1)]);
 * const optimizer = new SGD({ learningRate: 0.1 });
 * model.fit([[0, 1]], [[1]], { epochs: 5, batchSize: 1, loss: 'quadratic', optimizer,
 *   onEpochEnd: ({ epoch }) => saveCheckpoint('run.ckpt.json', { model, optimizer, epoch }) });
 * ```
 */
export function saveCheckpoint(path: string, state: { readonly model: Sequential; readonly optimizer: Optimizer; readonly epoch: number }): void {
  writeFileAtomic(path, JSON.stringify(createCheckpoint(state)));
}

/**
 * Loads a checkpoint saved by {@link saveCheckpoint}.
 *
 * @param path - The file to read.
 * @returns The model, a new optimizer with its state, and the epoch; resume with `fit(…, { initialEpoch: epoch })`.
 * @throws `FormatError` naming the file and the malformed field, or a newer version; the file system's errors.
 * @example
 * ```ts
 * import { loadCheckpoint } from 'tinydense/node';
 * const { model, optimizer, epoch } = await loadCheckpoint('run.ckpt.json');
 * ```
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const text = await readFile(path, 'utf8');
  try {
    return restoreCheckpoint(text);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.message}`);
    throw e;
  }
}
