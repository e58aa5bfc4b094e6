import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Project-dir recipes import `ferry` (see runner/define/ferry-specifier.ts).
  resolve: { alias: [{ find: /^ferry$/, replacement: join(import.meta.dirname, 'runner', 'index.ts') }] },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.ferry/**'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Registered first, so its afterAll runs last in each file.
    setupFiles: ['test/support/reap-children.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
