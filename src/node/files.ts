/**
 * Atomic file writes, and saving and loading models with them.
 *
 * @module
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FormatError, OptionError, Sequential, TinyDenseError, createCheckpoint, restoreCheckpoint, type Checkpoint, type Optimizer } from 'tinydense';

/**
 * A file could not be read or written as asked: a read-only target, a file larger
 * than the reader's `maxBytes`, or the file system's own error (`code` then holds
 * its code, such as `'ENOENT'`). The message names the user's path, never a
 * temporary file's.
 *
 * @example
 * ```ts
 * import { FileError, loadModel } from 'tinydense/node';
 * try { await loadModel('missing.json'); } catch (e) { if (e instanceof FileError) console.log(e.code); } // 'ENOENT'
 * ```
 */
export class FileError extends TinyDenseError {
  /** The file system's error code (`'ENOENT'`, `'EACCES'`, `'ENAMETOOLONG'`, …), if it came from one. */
  readonly code: string | undefined;

  /**
   * @param message - What went wrong, naming the path.
   * @param code - The file system's error code, if any.
   */
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/**
 * The most bytes `loadModel`, `loadCheckpoint` and `loadTable` read unless told
 * otherwise (256 MiB): far above any model tinydense trains, and below the
 * longest string JavaScript can hold (about 512 MiB in V8).
 */
export const DEFAULT_MAX_BYTES = 256 * 2 ** 20;

/** Options of the readers of whole files. */
export interface ReadOptions {
  /** Refuse a file larger than this many bytes before reading it (default {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number;
}

/**
 * Reads a whole text file, refusing one larger than `maxBytes` before reading it.
 *
 * @internal
 * @param path - The file.
 * @param options - `{ maxBytes }`.
 * @param where - The caller, for messages.
 * @returns Its text.
 * @throws {@link FileError} for a file too large or the file system's errors; `OptionError` for a bad `maxBytes`.
 */
export async function readTextFile(path: string, options: ReadOptions, where: string): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) throw new OptionError(`${where}: maxBytes must be a number ≥ 0, got ${String(maxBytes)}`);
  try {
    const { size } = statSync(path);
    if (size > maxBytes) {
      throw new FileError(`${where}: ${path} is ${size.toLocaleString('en-US')} bytes, more than maxBytes (${maxBytes.toLocaleString('en-US')}); pass { maxBytes } to read a file this large`);
    }
    return await readFile(path, 'utf8');
  } catch (e) {
    throw fileError(e, `${where}: cannot read ${path}`);
  }
}

/** The file system's (or the engine's) error as a {@link FileError} naming the user's path; typed errors pass through. */
function fileError(e: unknown, context: string): unknown {
  if (e instanceof TinyDenseError) return e;
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    // "ENOENT: no such file or directory, open '/a/.tinydense-1-2.tmp'": keep the code and the words, not the path
    return new FileError(`${context}: ${e.message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '')}`, code);
  }
  return e;
}

let temporaryCount = 0;

/** The file a write to `path` must replace: the end of its symbolic links (which may not exist yet), or `path` itself. */
function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // absent, or a link to a file not created yet: follow the link's own text
    try {
      if (lstatSync(path).isSymbolicLink()) return resolve(dirname(path), readlinkSync(path));
    } catch {
      // absent: the path itself
    }
    return path;
  }
}

/**
 * Writes a file so that readers see either the old contents or the new, never a
 * mix: the data goes to a temporary file beside the target, is flushed to disk
 * (fsync), then renamed over the target (rename is atomic on one file system).
 * On any error the temporary file is removed and the target is untouched.
 *
 * What the user had is kept: an existing file's permissions (and, where the
 * process may set it, its owner) pass to the new one; a symbolic link is
 * followed, so its target is rewritten and the link stays a link; a read-only
 * file is refused rather than silently replaced.
 *
 * @param path - The file to write.
 * @param data - Its new contents.
 * @throws {@link FileError} naming `path`: a read-only target, or the file system's error (its
 *   `code`, e.g. `'ENOENT'` for a missing directory).
 * @example
 * ```ts
 * import { writeFileAtomic } from 'tinydense/node';
 * writeFileAtomic('settings.json', JSON.stringify({ epochs: 30 }));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = writeTarget(path);
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const stat = statSync(target);
    existing = { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch {
    // a new file
  }
  if (existing !== undefined && (existing.mode & 0o222) === 0) {
    throw new FileError(`writeFileAtomic: ${path} is read-only (mode ${existing.mode.toString(8).padStart(4, '0')}); make it writable to replace it`, 'EACCES');
  }
  // a short name: the target's own may already be as long as a name can be
  const temporary = join(dirname(target), `.tinydense-${process.pid}-${++temporaryCount}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    if (existing !== undefined) {
      fchmodSync(fd, existing.mode);
      try {
        fchownSync(fd, existing.uid, existing.gid);
      } catch {
        // only a privileged process may give a file to another owner
      }
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw fileError(e, `writeFileAtomic: cannot write ${path}`);
  }
}

/**
 * Saves a model as JSON (see `Sequential.toJSON`), atomically: a crash during the
 * save leaves the previous file intact.
 *
 * @param model - The model.
 * @param path - The file to write, e.g. `model.json`.
 * @throws `FormatError` if the model has a custom layer that cannot be serialized; {@link FileError} as {@link writeFileAtomic}.
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
 * @param options - `{ maxBytes }`: refuse a larger file before reading it (default 256 MiB).
 * @returns The model.
 * @throws `FormatError` naming the file and the malformed field; {@link FileError} for a file over
 *   `maxBytes` or the file system's errors (its `code`, e.g. `'ENOENT'`).
 * @example
 * ```ts
 * import { loadModel } from 'tinydense/node';
 * const model = await loadModel('model.json');
 * ```
 */
export async function loadModel(path: string, options: ReadOptions = {}): Promise<Sequential> {
  const text = await readTextFile(path, options, 'loadModel');
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
 * @throws `FormatError` if the optimizer cannot report its state; {@link FileError} as {@link writeFileAtomic}.
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
 * @param options - `{ maxBytes }`: refuse a larger file before reading it (default 256 MiB).
 * @returns The model, a new optimizer with its state, and the epoch; resume with `fit(…, { initialEpoch: epoch })`.
 * @throws `FormatError` naming the file and the malformed field, or a newer version; {@link FileError}
 *   for a file over `maxBytes` or the file system's errors.
 * @example
 * ```ts
 * import { loadCheckpoint } from 'tinydense/node';
 * const { model, optimizer, epoch } = await loadCheckpoint('run.ckpt.json');
 * ```
 */
export async function loadCheckpoint(path: string, options: ReadOptions = {}): Promise<Checkpoint> {
  const text = await readTextFile(path, options, 'loadCheckpoint');
  try {
    return restoreCheckpoint(text);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.message}`);
    throw e;
  }
}
