/**
 * The WebAssembly SIMD kernels (compiled from kernels.as.ts): one module, compiled
 * on first use, and a {@link KernelMemory} per float32 `Dense` layer that holds its
 * parameters, gradients and scratch space where the kernels can reach them.
 *
 * Where WebAssembly SIMD is missing (or a page's Content-Security-Policy forbids
 * compiling WebAssembly) nothing is compiled and the TypeScript loops run instead;
 * the kernels compute exactly what those loops compute, so results do not depend
 * on which ran.
 *
 * @module
 */
import { KERNELS_WASM } from './kernels-wasm.js';

/** The kernels' exports; pointers are byte offsets into the instance's memory. */
export interface KernelExports {
  listNonZero(x: number, rows: number, inputs: number, pairs: number, rowStart: number, range: number): void;
  denseForward(pairs: number, rowStart: number, rows: number, outputs: number, w: number, b: number, z: number): void;
  denseForwardDense(x: number, rows: number, inputs: number, pairs: number, rowStart: number, range: number, outputs: number, w: number, b: number, z: number): void;
  denseWeightGradient(pairs: number, rowStart: number, rows: number, width: number, columns: number, delta: number, nablaW: number, nablaB: number): void;
  transpose(w: number, rows: number, cols: number, wT: number): void;
  denseInputGradient(delta: number, rows: number, inputs: number, outputs: number, wT: number, dx: number): void;
  sgdStep(w: number, grad: number, length: number, eta: number, decay: number): number;
  sigmoid32(x: number, length: number): void;
}

// undefined: not tried yet; null: unavailable. Index 0: over a plain memory; 1: over a shared one.
const compiled: (WebAssembly.Module | null | undefined)[] = [undefined, undefined];
let enabled = true;
const owners = new WeakMap<ArrayBufferLike, KernelMemory>();

/**
 * Switches the kernels on or off for layers initialised from now on (tests use it
 * to compare them with the TypeScript loops). Not part of the public API.
 *
 * @param on - Whether new float32 layers may use the kernels.
 */
export function setKernelsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The compiled kernels, over a plain or a shared memory, or `null` where they
 * cannot run here.
 *
 * @param shared - Whether the module imports a shared memory.
 * @returns The module, or `null`.
 */
export function kernelModule(shared: boolean): WebAssembly.Module | null {
  const which = shared ? 1 : 0;
  if (compiled[which] === undefined) {
    try {
      const hex = moduleHex(shared);
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      compiled[which] = new WebAssembly.Module(bytes);
    } catch {
      compiled[which] = null; // no WebAssembly, no SIMD (or no threads), or compiling forbidden
    }
  }
  return compiled[which] as WebAssembly.Module | null;
}

/** The module's imports, in hex: `env.exp` (function type 6), then `env.memory`, no maximum (the import section, id 2, 25 bytes). */
const PLAIN_IMPORT = '02190203656e7603657870000603656e76066d656d6f7279020000';
/** The same imports with a shared memory of at most 65,536 pages (flags 3; 28 bytes). */
const SHARED_IMPORT = '021c0203656e7603657870000603656e76066d656d6f7279020300808004';

/**
 * The kernels' module, in hex, over a plain or a shared memory. The shared one is
 * what `npm run build:wasm` compiles with `--sharedMemory` (a test checks): the
 * module differs only in its memory import, so one embedded copy serves both.
 *
 * @param shared - Whether the module imports a shared memory.
 * @returns The module's bytes, two hex digits each.
 */
export function moduleHex(shared: boolean): string {
  return shared ? KERNELS_WASM.replace(PLAIN_IMPORT, SHARED_IMPORT) : KERNELS_WASM;
}

/** Whether this page or process may share memory between threads (Node: always; a browser page: when cross-origin isolated). */
function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** A memory of `pages` pages with the kernels over it, shared if asked; `undefined` if that cannot be had. */
function instantiate(pages: number, shared: boolean): { memory: WebAssembly.Memory; exports: KernelExports } | undefined {
  const module = kernelModule(shared);
  if (module === null) return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
    const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp } });
    return { memory, exports: instance.exports as unknown as KernelExports };
  } catch {
    return undefined; // e.g. out of memory
  }
}

/**
 * A WebAssembly memory with the kernels instantiated over it, handing out
 * 16-byte-aligned typed views from the bottom up. It never grows, so its views
 * stay valid for its lifetime.
 */
export class KernelMemory {
  /** The kernels, bound to this memory. */
  readonly kernels: KernelExports;
  /** The WebAssembly memory itself (shared where threads may use it: see {@link KernelMemory.shared}). */
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared, so that a {@link ThreadPool}'s workers can run kernels over it. */
  readonly shared: boolean;
  private readonly buffer: ArrayBufferLike;
  private top = 0;

  private constructor(kernels: KernelExports, memory: WebAssembly.Memory, shared: boolean) {
    this.kernels = kernels;
    this.memory = memory;
    this.shared = shared;
    this.buffer = memory.buffer;
  }

  /**
   * A memory of at least `floats` 32-bit slots (plus alignment), or `undefined`
   * when the kernels are off or unavailable or the memory cannot be had.
   *
   * @param floats - How many float32/int32 values will be allocated from it.
   * @param views - How many views will be taken (each may waste up to 12 bytes to alignment).
   * @param shared - Whether it must be shared (for worker threads): possible in Node,
   *   and in a browser page that is cross-origin isolated. A shared memory's
   *   typed-array `set` and `fill` are slower, so only threads use one.
   * @returns The memory, or `undefined`.
   */
  static create(floats: number, views: number, shared = false): KernelMemory | undefined {
    if (!enabled || (shared && !canShareMemory())) return undefined;
    const bytes = 4 * floats + 16 * views;
    if (bytes > 2 ** 31) return undefined; // leave very large layers to the TypeScript loops
    const made = instantiate(Math.max(1, Math.ceil(bytes / 65536)), shared);
    if (made === undefined) return undefined;
    const owner = new KernelMemory(made.exports, made.memory, shared);
    owners.set(owner.buffer, owner);
    return owner;
  }

  /**
   * A new zeroed float32 view.
   *
   * @param length - Its length.
   * @returns The view.
   */
  floats(length: number): Float32Array {
    return new Float32Array(this.buffer, this.take(length), length);
  }

  /**
   * A new zeroed int32 view.
   *
   * @param length - Its length.
   * @returns The view.
   */
  ints(length: number): Int32Array {
    return new Int32Array(this.buffer, this.take(length), length);
  }

  private take(length: number): number {
    const offset = this.top;
    this.top = offset + Math.ceil((4 * length) / 16) * 16;
    if (this.top > this.buffer.byteLength) throw new RangeError('KernelMemory: allocation past the end (a sizing bug)');
    return offset;
  }
}

/**
 * The kernel memory holding both arrays, if they live in the same one.
 *
 * @param a - A typed array.
 * @param b - Another.
 * @returns Their memory, or `undefined`.
 */
export function kernelMemoryOf(a: ArrayBufferView, b: ArrayBufferView): KernelMemory | undefined {
  return a.buffer === b.buffer ? owners.get(a.buffer) : undefined;
}
