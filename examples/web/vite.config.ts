import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The pages import 'tinydense' as an app would: the package's built entry
// (dist/index.js, from `npm run build`), not its source files. They are served
// cross-origin isolated, so that threads.html can share memory with Web Workers.
const isolated = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { tinydense: fileURLToPath(new URL('../../dist/index.js', import.meta.url)) } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: { input: { main: fileURLToPath(new URL('index.html', import.meta.url)), threads: fileURLToPath(new URL('threads.html', import.meta.url)) } },
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', headers: isolated },
  server: { host: '127.0.0.1', headers: isolated },
});
