/**
 * The WebAssembly SIMD kernels (compiled from kernels.as.ts): the module, compiled
 * on first use, their typed arguments, and a {@link KernelMemory} that holds the
 * arrays they work on.
 *
 * Where WebAssembly SIMD is missing (or a page's Content-Security-Policy forbids
 * compiling WebAssembly) nothing is compiled and the reference loops run instead;
 * the kernels compute exactly what those loops compute, so results do not depend
 * on which ran.
 *
 * @module
 */
import { KERNELS_SHARED_WASM, KERNELS_WASM } from './kernels-wasm.js';

declare const pointsTo: unique symbol;
/** A byte offset into a kernel memory where float32 values start. */
export type F32Ptr = number & { readonly [pointsTo]: 'f32' };
/** A byte offset into a kernel memory where int32 values start. */
export type I32Ptr = number & { readonly [pointsTo]: 'i32' };
/** A byte offset into a kernel memory where float64 values start. */
export type F64Ptr = number & { readonly [pointsTo]: 'f64' };

/**
 * The address of `view[at]` for a kernel: views handed out by a {@link KernelMemory}
 * are the only way to a pointer, so a kernel never receives a count where it
 * expects an address.
 *
 * @param view - A view into a kernel memory.
 * @param at - The index of the first value (default 0).
 * @returns Its byte offset.
 */
export function f32(view: Float32Array, at = 0): F32Ptr {
  return (view.byteOffset + 4 * at) as F32Ptr;
}

/**
 * {@link f32} for float64 views.
 *
 * @param view - A view into a kernel memory.
 * @returns Its byte offset.
 */
export function f64(view: Float64Array): F64Ptr {
  return view.byteOffset as F64Ptr;
}

/**
 * {@link f32} for int32 views.
 *
 * @param view - A view into a kernel memory.
 * @param at - The index of the first value (default 0).
 * @returns Its byte offset.
 */
export function i32(view: Int32Array, at = 0): I32Ptr {
  return (view.byteOffset + 4 * at) as I32Ptr;
}

/**
 * Each kernel's arguments by name (the names of kernels.as.ts). Callers pass
 * objects, so two arguments cannot be swapped by position; {@link ENCODE} is the
 * one place that knows the positions, and a test checks it against the source.
 */
export interface KernelArgs {
  /** Lists each row's non-zero inputs as (column, value) pairs and folds the rows' values into `range` ([min, max]). */
  listNonZero: { x: F32Ptr; rows: number; inputs: number; pairs: I32Ptr; rowStart: I32Ptr; range: F32Ptr };
  /** z = x·W + b for rows given as pairs. */
  denseForward: { pairs: I32Ptr; rowStart: I32Ptr; rows: number; outputs: number; w: F32Ptr; b: F32Ptr; z: F32Ptr };
  /** listNonZero, then denseForward, over dense rows. */
  denseForwardDense: {
    x: F32Ptr; rows: number; inputs: number; pairs: I32Ptr; rowStart: I32Ptr; range: F32Ptr; outputs: number; w: F32Ptr; b: F32Ptr; z: F32Ptr;
  };
  /** For each group of four rows: the columns where all four are non-zero, with their values; or the group marked mixed. */
  listGroups: {
    x: F32Ptr; rows: number; inputs: number; cols: I32Ptr; vals: F32Ptr; groupStart: I32Ptr; mixed: I32Ptr; pairs: I32Ptr; rowStart: I32Ptr; range: F32Ptr;
  };
  /** denseForward with the rows in groups of four (as listGroups lists them). */
  denseForwardGroups: {
    pairs: I32Ptr; rowStart: I32Ptr; rows: number; inputs: number; outputs: number; w: F32Ptr; b: F32Ptr; z: F32Ptr; cols: I32Ptr; vals: F32Ptr; groupStart: I32Ptr; mixed: I32Ptr;
  };
  /** denseWeightGradient with the rows in groups of four (as listGroups lists them). */
  denseWeightGradientGroups: {
    pairs: I32Ptr; rowStart: I32Ptr; rows: number; inputs: number; width: number; columns: number; delta: F32Ptr; nablaW: F32Ptr; nablaB: F32Ptr;
    cols: I32Ptr; vals: F32Ptr; groupStart: I32Ptr; mixed: I32Ptr;
  };
  /** ∇W += xᵀ·δ and ∇b += Σδ for `columns` outputs of rows `width` wide. */
  denseWeightGradient: { pairs: I32Ptr; rowStart: I32Ptr; rows: number; width: number; columns: number; delta: F32Ptr; nablaW: F32Ptr; nablaB: F32Ptr };
  /** wT = Wᵀ, in float64 (wT is a float32 view twice as long). */
  transpose: { w: F32Ptr; rows: number; cols: number; wT: F32Ptr };
  /** dx = δ·Wᵀ. */
  denseInputGradient: { delta: F32Ptr; rows: number; inputs: number; outputs: number; wT: F32Ptr; dx: F32Ptr };
  /** w ← decay·w − eta·g in float32; returns the sum of the new values. */
  sgdStep: { w: F32Ptr; grad: F32Ptr; length: number; eta: number; decay: number };
  /** One Adam step on float32 w with float64 moments m and v; returns 0 if every new w is finite, else NaN. */
  adamStep: {
    w: F32Ptr; grad: F32Ptr; m: F64Ptr; v: F64Ptr; length: number; beta1: number; keep1: number; beta2: number; keep2: number; epsilon: number; stepSize: number; rootCorrection: number;
  };
  /** x ← σ(x) in place. */
  sigmoid32: { x: F32Ptr; length: number };
}

/** A kernel's name. */
export type Kernel = keyof KernelArgs;

/** Calls `f` with a kernel's arguments in the order its WebAssembly function takes them. */
type Encoder<K extends Kernel> = <R>(f: (...args: number[]) => R, a: KernelArgs[K]) => R;

/** Each kernel's arguments in the order the WebAssembly function takes them: the only place that knows positions. */
export const ENCODE: { readonly [K in Kernel]: Encoder<K> } = {
  listNonZero: (f, a) => f(a.x, a.rows, a.inputs, a.pairs, a.rowStart, a.range),
  denseForward: (f, a) => f(a.pairs, a.rowStart, a.rows, a.outputs, a.w, a.b, a.z),
  denseForwardDense: (f, a) => f(a.x, a.rows, a.inputs, a.pairs, a.rowStart, a.range, a.outputs, a.w, a.b, a.z),
  listGroups: (f, a) => f(a.x, a.rows, a.inputs, a.cols, a.vals, a.groupStart, a.mixed, a.pairs, a.rowStart, a.range),
  denseForwardGroups: (f, a) => f(a.pairs, a.rowStart, a.rows, a.inputs, a.outputs, a.w, a.b, a.z, a.cols, a.vals, a.groupStart, a.mixed),
  denseWeightGradientGroups: (f, a) =>
    f(a.pairs, a.rowStart, a.rows, a.inputs, a.width, a.columns, a.delta, a.nablaW, a.nablaB, a.cols, a.vals, a.groupStart, a.mixed),
  denseWeightGradient: (f, a) => f(a.pairs, a.rowStart, a.rows, a.width, a.columns, a.delta, a.nablaW, a.nablaB),
  transpose: (f, a) => f(a.w, a.rows, a.cols, a.wT),
  denseInputGradient: (f, a) => f(a.delta, a.rows, a.inputs, a.outputs, a.wT, a.dx),
  sgdStep: (f, a) => f(a.w, a.grad, a.length, a.eta, a.decay),
  sigmoid32: (f, a) => f(a.x, a.length),
  adamStep: (f, a) => f(a.w, a.grad, a.m, a.v, a.length, a.beta1, a.keep1, a.beta2, a.keep2, a.epsilon, a.stepSize, a.rootCorrection),
};

/** The kernels by index, as a worker thread is told them (it knows them only by position). */
export const KERNELS: readonly Kernel[] = Object.keys(ENCODE) as Kernel[];

/**
 * A kernel's arguments in the WebAssembly function's order, for a worker thread.
 *
 * @param kernel - The kernel.
 * @param args - Its arguments by name.
 * @returns The values, positionally.
 */
export function positional<K extends Kernel>(kernel: K, args: KernelArgs[K]): number[] {
  return (ENCODE[kernel] as Encoder<K>)((...values) => values, args);
}

/** The kernels bound to one memory, each called with its arguments by name. */
export class Kernels {
  private readonly exports: Record<Kernel, (...args: number[]) => number>;

  /**
   * @param exports - The instance's exports.
   */
  constructor(exports: WebAssembly.Exports) {
    this.exports = exports as unknown as Record<Kernel, (...args: number[]) => number>;
  }

  /**
   * Runs a kernel on this thread.
   *
   * @param kernel - The kernel.
   * @param args - Its arguments by name.
   * @returns What it returns: sgdStep's sum (the others return nothing).
   */
  call<K extends Kernel>(kernel: K, args: KernelArgs[K]): number {
    return (ENCODE[kernel] as Encoder<K>)(this.exports[kernel], args);
  }
}

// undefined: not tried yet; null: unavailable. Index 0: over a plain memory; 1: over a shared one.
const compiled: (WebAssembly.Module | null | undefined)[] = [undefined, undefined];
let enabled = true;
/** Each kernel memory by its buffer, so that arrays can be traced to the memory that holds them. */
const owners = new WeakMap<ArrayBufferLike, KernelMemory>();

/**
 * Switches the kernels on or off for memories made from now on (tests use it to
 * compare them with the reference loops). Not part of the public API.
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
      const hex = shared ? KERNELS_SHARED_WASM : KERNELS_WASM;
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      compiled[which] = new WebAssembly.Module(bytes);
    } catch {
      compiled[which] = null; // no WebAssembly, no SIMD (or no threads), or compiling forbidden
    }
  }
  return compiled[which] as WebAssembly.Module | null;
}

/**
 * The imports of the kernels' module: the memory, and `Math.exp` for the values
 * the sigmoid kernel cannot round with certainty.
 *
 * @param memory - The memory the kernels run over.
 * @returns The import object.
 */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return { env: { memory, exp: Math.exp } };
}

/** Whether this page or process may share memory between threads (Node: always; a browser page: when cross-origin isolated). */
function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/**
 * At most this many kernel memories are live at once; past it, new layers run on
 * the reference loops. V8 reserves about 10 GiB of address space for every
 * WebAssembly memory, whatever its size (guard regions that spare bounds checks),
 * so some 13,000 of them exhaust a 64-bit process's 128 TiB, and the next
 * allocation then stalls for minutes in garbage collection before failing. 2,048
 * memories (about 20 TiB) is a thousand float32 models alive at once, all on the
 * kernels. Memories are counted until their buffers are collected.
 */
export const MAX_LIVE_MEMORIES = 2048;

let liveMemories = 0;
const released = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<undefined>(() => liveMemories--) : undefined;

/**
 * A WebAssembly memory with the kernels instantiated over it, handing out
 * 16-byte-aligned typed views from the bottom up. It never grows, so its views
 * stay valid for its lifetime.
 */
export class KernelMemory {
  /** The kernels, bound to this memory. */
  readonly kernels: Kernels;
  /** The WebAssembly memory itself. */
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared, so that a thread pool's workers can run kernels over it. */
  readonly shared: boolean;
  private readonly buffer: ArrayBufferLike;
  private top = 0;

  private constructor(kernels: Kernels, memory: WebAssembly.Memory, shared: boolean) {
    this.kernels = kernels;
    this.memory = memory;
    this.shared = shared;
    this.buffer = memory.buffer;
  }

  /**
   * A memory of at least `floats` 32-bit slots (plus alignment), or `undefined`
   * when the kernels are off or unavailable, {@link MAX_LIVE_MEMORIES} are live, or
   * the memory cannot be had.
   *
   * @param floats - How many float32/int32 values will be allocated from it.
   * @param views - How many views will be taken (each may waste up to 12 bytes to alignment).
   * @param shared - Whether it must be shared (for worker threads): possible in Node,
   *   and in a browser page that is cross-origin isolated. A shared memory's
   *   typed-array `set` and `fill` are slower, so only threads use one.
   * @returns The memory, or `undefined`.
   */
  static create(floats: number, views: number, shared = false): KernelMemory | undefined {
    if (!enabled || (shared && !canShareMemory()) || liveMemories >= MAX_LIVE_MEMORIES) return undefined;
    const bytes = 4 * floats + 16 * views;
    if (bytes > 2 ** 31) return undefined; // very large layers stay on the reference loops
    const module = kernelModule(shared);
    if (module === null) return undefined;
    try {
      const pages = Math.max(1, Math.ceil(bytes / 65536));
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
      const instance = new WebAssembly.Instance(module, kernelImports(memory));
      const made = new KernelMemory(new Kernels(instance.exports), memory, shared);
      owners.set(made.buffer, made);
      liveMemories++;
      released?.register(made.buffer, undefined);
      return made;
    } catch {
      return undefined; // e.g. out of memory
    }
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

  /**
   * A new zeroed float64 view from what is left of the memory, or `undefined` if
   * too little is left (the caller then keeps its values elsewhere).
   *
   * @param length - Its length.
   * @returns The view, or `undefined`.
   */
  doubles(length: number): Float64Array | undefined {
    if (this.top + Math.ceil((8 * length) / 16) * 16 > this.buffer.byteLength) return undefined; // as take() rounds
    return new Float64Array(this.buffer, this.take(2 * length), length);
  }

  /**
   * The kernel memory that holds an array, if any.
   *
   * @param a - A typed array.
   * @returns Its memory, or `undefined`.
   */
  static of(a: ArrayBufferView): KernelMemory | undefined {
    return owners.get(a.buffer);
  }

  /**
   * The kernel memory holding both arrays, if they live in the same one.
   *
   * @param a - A typed array.
   * @param b - Another.
   * @returns Their memory, or `undefined`.
   */
  static holding(a: ArrayBufferView, b: ArrayBufferView): KernelMemory | undefined {
    return a.buffer === b.buffer ? owners.get(a.buffer) : undefined;
  }

  private take(length: number): number {
    const offset = this.top;
    this.top = offset + Math.ceil((4 * length) / 16) * 16;
    if (this.top > this.buffer.byteLength) throw new RangeError('KernelMemory: allocation past the end (a sizing bug)');
    return offset;
  }
}
