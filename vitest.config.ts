import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Project-dir recipes import `ferry` (see runner/define/ferry-specifier.ts).
  resolve: { alias: [{ find: /^ferry$/, replacement: join(import.meta.dirname, 'runner', 'index.ts') }] },
  test: {
    include: ['**/*.test.ts'],
    // Code a test generates (test/.generated/) is run only by that test, through FERRY_RUN_GENERATED.
    exclude: ['node_modules/**', '.ferry/**', ...(process.env.FERRY_RUN_GENERATED ? [] : ['test/.generated/**'])],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Registered first, so its afterAll runs last in each file.
    setupFiles: ['test/support/reap-children.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
