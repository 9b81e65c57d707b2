/** The core entry's size budget: minified and gzipped, under 20 KB. */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('bundle size', () => {
  it('keeps the core (everything exported) under 20 KB minified + gzipped, with no Node built-ins', async () => {
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
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`core entry: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB minified + gzipped`);
    expect(gzipped).toBeLessThan(20 * 1024);
  });
});
