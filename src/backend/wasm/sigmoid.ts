/**
 * σ over float32 arrays as a WebAssembly SIMD kernel, on this thread or shared
 * with a thread pool's workers.
 *
 * @module
 */
import type { ThreadPool } from '../threads/thread-pool.js';
import { f32, type KernelArgs } from './module.js';
import { scratch } from './scratch.js';

/**
 * float32 arrays at least this long go through the kernel; shorter ones stay on
 * the reference loop, since copying into the kernel's memory and back costs more
 * than the kernel saves.
 */
const MIN_KERNEL_LENGTH = 4096;

/** Arrays at least this long are shared with a pool, if one is given: below it, a section of work costs more than it saves. */
const MIN_THREADED_LENGTH = 65536;

/**
 * Writes σ(z) into a with the kernel, each value the float32 that the reference
 * σ's float64 value rounds to. The kernel takes σ in float64 to within 2^−44 (e^x
 * from a polynomial), which settles the rounding of all but about 1 value in
 * 30,000; those it takes with `Math.exp` as the reference does. (Checked for all
 * 2^32 float32 inputs by `npm run verify:sigmoid`.) With threads, each takes an
 * equal part of every round of values.
 *
 * @param z - Pre-activations.
 * @param a - Receives σ(z), same length.
 * @param threads - A pool to share big arrays with, or `undefined`.
 * @returns False (and nothing written) where the kernel does not take this array
 *   (too short, or no kernels here): the caller then runs the reference loop.
 */
export function sigmoidKernel(z: Float32Array, a: Float32Array, threads: ThreadPool | undefined): boolean {
  const kernel = z.length >= MIN_KERNEL_LENGTH ? scratch() : null;
  if (kernel === null) return false;
  const shared = z.length >= MIN_THREADED_LENGTH && threads?.open === true ? scratch(true) : null;
  const section = shared === null ? undefined : threads?.begin(shared.memory);
  const home = kernel.floats;
  // this thread's part of a round goes through the home chunk, worker t's through part t − 1 of the shared one
  const away = (shared ?? kernel).floats;
  const size = section?.size ?? 1;
  // a multiple of the kernel's four lanes, so a worker's last group stays in its own part
  const part = section === undefined ? home.length : 4 * Math.floor(away.length / (4 * (size - 1)));
  try {
    for (let start = 0; start < z.length; start += size * part) {
      const end = Math.min(z.length, start + size * part);
      const each = Math.ceil((end - start) / size);
      const calls: KernelArgs['sigmoid32'][] = [];
      for (let t = 1; start + t * each < end; t++) {
        const from = start + t * each;
        const length = Math.min(each, end - from);
        away.set(z.subarray(from, from + length), (t - 1) * part);
        calls.push({ x: f32(away, (t - 1) * part), length });
      }
      section?.start('sigmoid32', calls);
      const mine = z.subarray(start, Math.min(end, start + each));
      home.set(mine);
      kernel.memory.kernels.call('sigmoid32', { x: f32(home), length: mine.length });
      a.set(home.subarray(0, mine.length), start);
      section?.finish(calls.length);
      calls.forEach(({ length }, i) => a.set(away.subarray(i * part, i * part + length), start + (i + 1) * each));
    }
  } finally {
    section?.end();
  }
  return true;
}
