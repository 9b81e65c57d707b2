import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page imports 'tinydense' as an app would: the package's built entry
// (dist/index.js, from `npm run build`), not its source files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { tinydense: fileURLToPath(new URL('../../dist/index.js', import.meta.url)) } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
