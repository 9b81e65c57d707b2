/**
 * Checkpoints: everything needed to resume training exactly, as plain data.
 *
 * @module
 */
import { FormatError, TinyDenseError, describe } from '../errors.js';
import { Adam, type AdamOptions } from '../optimizers/adam.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import { SGD, type SGDOptions } from '../optimizers/sgd.js';
import { Sequential } from './sequential.js';
import type { ModelJSON } from './serialization.js';

/** The `format` field of every checkpoint. */
export const CHECKPOINT_FORMAT = 'tinydense-checkpoint';

/** The newest checkpoint format version this build reads and the one it writes. */
export const CHECKPOINT_VERSION = 1;

/** A checkpoint as plain data; see {@link createCheckpoint}. */
export interface CheckpointJSON {
  /** Always `'tinydense-checkpoint'`. */
  readonly format: typeof CHECKPOINT_FORMAT;
  /** The format version, {@link CHECKPOINT_VERSION}. */
  readonly version: number;
  /** Epochs completed; resume with `fit(…, { initialEpoch: epoch })`. */
  readonly epoch: number;
  /** The model, weights included. */
  readonly model: ModelJSON;
  /** The optimizer's options and state (momentum, Adam's moments and step count). */
  readonly optimizer: OptimizerState;
  /** The model's RNG state, which decides the next shuffles. */
  readonly rng: readonly [number, number, number, number];
}

/** A restored training state. */
export interface Checkpoint {
  /** The model, with its weights and RNG state restored. */
  readonly model: Sequential;
  /** A new optimizer with the saved options and state. */
  readonly optimizer: Optimizer;
  /** Epochs completed. */
  readonly epoch: number;
}

/**
 * Captures a training state: the model, the optimizer's state, the RNG state and
 * the epoch reached. Resuming from it with `fit(x, y, { …, initialEpoch: epoch })`
 * gives weights bit-identical to an uninterrupted run.
 *
 * @param state - The model, its optimizer (a built-in one) and the epochs completed.
 * @returns The checkpoint as plain data (JSON-ready).
 * @throws {@link FormatError} if the optimizer cannot report its state, or the model has a custom layer.
 * @example
 * ```ts
 * import { Dense, SGD, Sequential, createCheckpoint, restoreCheckpoint } from 'tinydense';
 * const model = new Sequential([new Dense(2, 1)]);
 * const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9 });
 * model.fit([[0, 1]], [[1]], { epochs: 2, batchSize: 1, loss: 'quadratic', optimizer });
 * const saved = JSON.stringify(createCheckpoint({ model, optimizer, epoch: 2 }));
 * const resumed = restoreCheckpoint(saved);
 * resumed.model.fit([[0, 1]], [[1]], { epochs: 4, initialEpoch: resumed.epoch, batchSize: 1, loss: 'quadratic', optimizer: resumed.optimizer });
 * ```
 */
export function createCheckpoint(state: { readonly model: Sequential; readonly optimizer: Optimizer; readonly epoch: number }): CheckpointJSON {
  const { model, optimizer, epoch } = state;
  if (typeof optimizer.getState !== 'function') {
    throw new FormatError(`createCheckpoint: the optimizer ${describe(optimizer)} has no getState(), so its state cannot be saved`);
  }
  if (!Number.isInteger(epoch) || epoch < 0) throw new FormatError(`createCheckpoint: epoch must be an integer ≥ 0, got ${describe(epoch)}`);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch,
    model: model.toJSON(),
    optimizer: optimizer.getState(model.parameters()),
    rng: model.rng.getState(),
  };
}

/**
 * Rebuilds the model, a new optimizer with its state, and the epoch from a
 * checkpoint (or its JSON text). Everything is checked before anything is
 * returned: a corrupted or newer checkpoint never gives a half-restored state.
 *
 * @param json - The checkpoint or its JSON text.
 * @returns The model, optimizer and epoch.
 * @throws {@link FormatError} naming the malformed field, or a newer version.
 */
export function restoreCheckpoint(json: unknown): Checkpoint {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (e) {
      throw new FormatError(`restoreCheckpoint: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new FormatError(`restoreCheckpoint: expected an object, got ${describe(data)}`);
  const root = data as Record<string, unknown>;
  if (root.format !== CHECKPOINT_FORMAT) throw new FormatError(`restoreCheckpoint: format must be "${CHECKPOINT_FORMAT}", got ${describe(root.format)}`);
  const version = root.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new FormatError(`restoreCheckpoint: version must be a positive integer, got ${describe(version)}`);
  }
  if (version > CHECKPOINT_VERSION) {
    throw new FormatError(`restoreCheckpoint: version ${version} is newer than this tinydense reads (${CHECKPOINT_VERSION}); upgrade tinydense`);
  }
  const epoch = root.epoch;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw new FormatError(`restoreCheckpoint: epoch must be an integer from 0 to 2^53 − 1, got ${describe(epoch)}`);
  const rng = root.rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((s: unknown) => typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 2 ** 32) || rng.every((s) => s === 0)) {
    throw new FormatError(`restoreCheckpoint: rng must be four 32-bit unsigned integers, not all 0, got ${describe(rng)}`);
  }
  const model = wrap('model', () => Sequential.fromJSON(root.model));
  const optimizer = wrap('optimizer', () => optimizerFromState(root.optimizer, model));
  model.rng.setState(rng as [number, number, number, number]);
  return { model, optimizer, epoch };
}

function optimizerFromState(value: unknown, model: Sequential): Optimizer {
  if (typeof value !== 'object' || value === null) throw new FormatError(`expected an object, got ${describe(value)}`);
  const state = value as OptimizerState;
  if (typeof state.config !== 'object' || state.config === null || typeof state.slots !== 'object' || state.slots === null) {
    throw new FormatError('config and slots must be objects');
  }
  let optimizer: Optimizer;
  switch (state.kind) {
    case 'sgd':
      optimizer = new SGD(state.config as unknown as SGDOptions);
      break;
    case 'adam':
      optimizer = new Adam(state.config as AdamOptions);
      break;
    default:
      throw new FormatError(`kind ${describe(state.kind)} is not an optimizer this tinydense knows`);
  }
  optimizer.setState?.(model.parameters(), state);
  return optimizer;
}

function wrap<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TinyDenseError) throw new FormatError(`restoreCheckpoint: ${field}: ${e.message}`);
    throw e;
  }
}
