/**
 * Two kernel memories, each made on first use, for kernels over arrays that live
 * outside any kernel memory (`Sigmoid`'s): a chunk is copied in, worked on in
 * place, and copied out. One is plain, for the calling thread; the other is
 * shared, for a {@link ThreadPool}'s workers.
 *
 * @module
 */
import { KernelMemory } from './module.js';

/** float32 values per chunk: 256 KB, which stays in cache. */
const CHUNK = 65536;

/** A scratch memory and its chunk. */
export interface Scratch {
  readonly memory: KernelMemory;
  /** The chunk. Kernels may work up to 8 values past its end: that much is spare. */
  readonly floats: Float32Array;
}

// undefined: not made yet; null: cannot be had here. Index 0: plain; 1: shared.
const made: (Scratch | null | undefined)[] = [undefined, undefined];

/**
 * A scratch memory, or `null` where the kernels cannot run (or, for the shared
 * one, where memory cannot be shared).
 *
 * @param shared - Whether worker threads must be able to share it.
 * @returns The scratch.
 */
export function scratch(shared = false): Scratch | null {
  const which = +shared;
  if (made[which] === undefined) {
    const memory = KernelMemory.create(CHUNK + 8, 1, shared);
    const floats = memory?.floats(CHUNK + 8).subarray(0, CHUNK);
    made[which] = memory === undefined || floats === undefined ? null : { memory, floats };
  }
  return made[which] as Scratch | null;
}
