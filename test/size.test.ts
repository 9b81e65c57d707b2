/** The core entry's size budget: minified and gzipped, JavaScript and embedded WebAssembly together, under 32 KB. */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNELS_SHARED_WASM, KERNELS_WASM } from '../src/backend/wasm/kernels-wasm.js';

const root = join(import.meta.dirname, '..');
const gzipped = (bytes: Uint8Array | string): number => gzipSync(bytes, { level: 9 }).length;

describe('bundle size', () => {
  it('keeps the core (everything exported, the WebAssembly kernels included) under 32 KB minified + gzipped, with no Node built-ins', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser', // fails the build if the core reaches for a Node built-in
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const wasm = gzipped(KERNELS_WASM + KERNELS_SHARED_WASM);
    console.log(`core entry: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipped(code) / 1024).toFixed(1)} KB minified + gzipped`);
    console.log(`  of which the two embedded WebAssembly modules (hex): ${(wasm / 1024).toFixed(1)} KB gzipped on their own`);
    const text = new TextDecoder().decode(code);
    expect([text.includes(KERNELS_WASM), text.includes(KERNELS_SHARED_WASM)]).toEqual([true, true]);
    expect(gzipped(code)).toBeLessThan(32 * 1024);
  });
});

describe('tinydense/interop size', () => {
  it('is an entry of its own, so the core does not grow with it (reported, with a 16 KB ceiling)', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/interop/index.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['tinydense'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    console.log(`interop entry: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipped(code) / 1024).toFixed(1)} KB minified + gzipped`);
    expect(gzipped(code)).toBeLessThan(16 * 1024);
  });
});
