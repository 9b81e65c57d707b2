import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^tinydense\/node$/, replacement: fileURLToPath(new URL('../../src/node/index.ts', import.meta.url)) },
      { find: /^tinydense$/, replacement: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
    ],
  },
  test: { include: ['examples/web/e2e/**/*.e2e.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
});
