import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KERNELS, KernelMemory, f32, i32, positional, type KernelArgs } from '../../../src/backend/wasm/module.js';

const root = join(import.meta.dirname, '..', '..', '..');

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the WebAssembly kernels', () => {
  it('are the modules kernels.as.ts compiles to (scripts/build-wasm.mjs --check; run npm run build:wasm after editing the kernels)', () => {
    expect(execFileSync('node', [join(root, 'scripts/build-wasm.mjs'), '--check'], { encoding: 'utf8' })).toMatch(/match their source/);
  }, 60_000);

  it('are called with their arguments in the order kernels.as.ts declares them', () => {
    const source = readFileSync(join(root, 'src/backend/wasm/kernels.as.ts'), 'utf8');
    for (const kernel of KERNELS) {
      const declared = new RegExp(`export function ${kernel}\\(([^)]*)\\)`).exec(source)?.[1];
      const names = (declared ?? '').split(',').map((p) => p.trim().split(':')[0]).filter((n) => n !== '');
      // each argument given as its own name, so the positional list is the list of names
      const byName = new Proxy({}, { get: (_, name) => name }) as KernelArgs[typeof kernel];
      expect(names, kernel).toEqual(positional(kernel, byName));
    }
  });

  it('take addresses only from views, of the right element type: a swapped or made-up pointer does not compile', () => {
    const memory = KernelMemory.create(64, 2) as KernelMemory;
    const v = memory.floats(16);
    const p = memory.ints(16);
    const ok: KernelArgs['denseForward'] = { pairs: i32(p), rowStart: i32(p, 8), rows: 0, outputs: 1, w: f32(v), b: f32(v), z: f32(v) };
    // @ts-expect-error: a float32 address where an int32 one belongs
    const swapped: KernelArgs['denseForward'] = { ...ok, pairs: f32(v) };
    // @ts-expect-error: a count where an address belongs
    const count: KernelArgs['denseForward'] = { ...ok, w: 3 };
    memory.kernels.call('denseForward', ok); // no rows: runs, writes nothing
    expect([swapped.pairs, count.w]).toEqual([v.byteOffset, 3]);
  });

  it('give a plain memory unless asked for a shared one, which a page that is not cross-origin isolated cannot have', async () => {
    const { KernelMemory } = await import('../../../src/backend/wasm/module.js');
    expect(KernelMemory.create(16, 1)?.shared).toBe(false);
    expect(KernelMemory.create(16, 1, true)?.shared).toBe(true);
    expect(KernelMemory.create(16, 1, true)?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    vi.stubGlobal('crossOriginIsolated', false);
    expect(KernelMemory.create(16, 1, true)).toBeUndefined();
    expect(KernelMemory.create(16, 1)?.shared).toBe(false);
  });

  it('fall back to the TypeScript loops where WebAssembly is missing, with the same results', async () => {
    const train = async (): Promise<number[][]> => {
      const td = await import('../../../src/index.js');
      const x = td.Tensor.from([[0, 0.5, 1], [1, 0, 0], [0.25, 0, 0.75], [0, 1, 0]]);
      const y = td.oneHot(Uint8Array.of(0, 1, 0, 1), 2);
      const model = new td.Sequential([new td.Dense(3, 4), new td.Sigmoid(), new td.Dense(4, 2), new td.Sigmoid()], { seed: 1 });
      model.fit(x, y, { epochs: 5, batchSize: 2, loss: 'quadratic', optimizer: new td.SGD({ learningRate: 2 }) });
      return model.getWeights().map((w) => Array.from(w.data));
    };
    const withKernels = await train();
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const { KernelMemory } = await import('../../../src/backend/wasm/module.js');
    expect(KernelMemory.create(16, 1)).toBeUndefined();
    const td = await import('../../../src/index.js');
    const d = new td.Dense(3, 4);
    d.initialize(new td.Rng(0), 'float32');
    expect(d.simd).toBe(false);
    expect(await train()).toEqual(withKernels);
  });
});
