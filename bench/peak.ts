/** Measures the wasm-SIMD peak (bench/peak.as.ts) on one thread: GFLOP/s, the median of 5 runs after a warm-up. */
import { join } from 'node:path';
import asc from 'assemblyscript/asc';
import { median } from '../examples/support/stats.js';

export async function measurePeak(): Promise<number> {
  let binary: Uint8Array | undefined;
  const { error, stderr } = await asc.main([join(import.meta.dirname, 'peak.as.ts'), '-O3', '--runtime', 'stub', '--enable', 'simd', '-o', 'peak.wasm'], {
    writeFile: (name: string, contents: string | Uint8Array) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
  });
  if (error || binary === undefined) throw new Error(`asc failed: ${stderr.toString()}`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(binary)));
  const peak = instance.exports.peak as (steps: number) => number;
  const steps = 20_000_000;
  peak(steps / 10);
  const rates: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    peak(steps);
    rates.push((12 * 8 * steps) / ((performance.now() - t) / 1000) / 1e9);
  }
  return median(rates);
}

if (process.argv[1] === import.meta.filename) console.log(`${(await measurePeak()).toFixed(1)} GFLOP/s`);
