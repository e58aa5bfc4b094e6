import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.ferry/**'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
