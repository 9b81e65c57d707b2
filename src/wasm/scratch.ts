/**
 * One kernel memory, made on first use, for kernels over arrays that live outside
 * any kernel memory (`Sigmoid`'s): a chunk is copied in, worked on in place, and
 * copied out.
 *
 * @module
 */
import { KernelMemory } from './kernels.js';

/** Doubles per chunk: 256 KB, which stays in cache. */
const CHUNK = 32768;

/** The scratch memory and its chunk. */
export interface Scratch {
  readonly memory: KernelMemory;
  /** The chunk. Kernels may work up to 8 values past its end: that much is spare. */
  readonly doubles: Float64Array;
  /** The same memory as {@link Scratch.doubles}, as float32 values: a chunk of the same length and its spare. */
  readonly floats: Float32Array;
}

let made: Scratch | null | undefined; // undefined: not made yet; null: no kernels here

/**
 * The scratch memory, or `null` where the kernels cannot run.
 *
 * @returns The scratch.
 */
export function scratch(): Scratch | null {
  if (made === undefined) {
    const memory = KernelMemory.create(2 * (CHUNK + 8), 1);
    const doubles = memory?.doubles(CHUNK + 8).subarray(0, CHUNK);
    made = memory === undefined || doubles === undefined ? null : { memory, doubles, floats: new Float32Array(doubles.buffer, doubles.byteOffset, CHUNK) };
  }
  return made;
}
