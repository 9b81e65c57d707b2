import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import asc from 'assemblyscript/asc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KERNELS_WASM } from '../../src/wasm/kernels-wasm.js';
import { moduleHex } from '../../src/wasm/kernels.js';

const root = join(import.meta.dirname, '..', '..');

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the WebAssembly kernels', () => {
  it.each([
    ['over a plain memory (embedded)', 0, KERNELS_WASM],
    ['over a shared memory (derived from the embedded module)', 1, moduleHex(true)],
  ])('are the module kernels.as.ts compiles to with `npm run build:wasm` (run it after editing the kernels): %s', async (_, command, embedded) => {
    const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build:wasm'] as string;
    const argv = (script.split(' && ')[command] as string).split(' ').slice(1); // the asc command's arguments, as the script gives them
    let binary: Uint8Array | undefined;
    const { error, stderr } = await asc.main(argv, {
      writeFile: (name, contents) => {
        if (name.endsWith('.wasm')) binary = contents as Uint8Array;
      },
    });
    expect(error, stderr.toString()).toBeNull();
    expect(Buffer.from(binary ?? []).toString('hex')).toBe(embedded);
  }, 60_000);

  it('give a plain memory unless asked for a shared one, which a page that is not cross-origin isolated cannot have', async () => {
    const { KernelMemory } = await import('../../src/wasm/kernels.js');
    expect(KernelMemory.create(16, 1)?.shared).toBe(false);
    expect(KernelMemory.create(16, 1, true)?.shared).toBe(true);
    expect(KernelMemory.create(16, 1, true)?.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    vi.stubGlobal('crossOriginIsolated', false);
    expect(KernelMemory.create(16, 1, true)).toBeUndefined();
    expect(KernelMemory.create(16, 1)?.shared).toBe(false);
  });

  it('fall back to the TypeScript loops where WebAssembly is missing, with the same results', async () => {
    const train = async (): Promise<number[][]> => {
      const td = await import('../../src/index.js');
      const x = td.Tensor.from([[0, 0.5, 1], [1, 0, 0], [0.25, 0, 0.75], [0, 1, 0]]);
      const y = td.oneHot(Uint8Array.of(0, 1, 0, 1), 2);
      const model = new td.Sequential([new td.Dense(3, 4), new td.Sigmoid(), new td.Dense(4, 2), new td.Sigmoid()], { seed: 1 });
      model.fit(x, y, { epochs: 5, batchSize: 2, loss: 'quadratic', optimizer: new td.SGD({ learningRate: 2 }) });
      return model.getWeights().map((w) => Array.from(w.data));
    };
    const withKernels = await train();
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const { KernelMemory } = await import('../../src/wasm/kernels.js');
    expect(KernelMemory.create(16, 1)).toBeUndefined();
    const td = await import('../../src/index.js');
    const d = new td.Dense(3, 4);
    d.initialize(new td.Rng(0), 'float32');
    expect(d.simd).toBe(false);
    expect(await train()).toEqual(withKernels);
  });
});
