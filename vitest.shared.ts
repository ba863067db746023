import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares: tests import workspace packages from their TypeScript
 * sources through the `@dendrite/source` export condition, so `pnpm test` needs no build.
 * (In vitest 4 a Node project takes the condition in `ssr.resolve.conditions`, with Vite's
 * defaults listed again.)
 */
export const sharedConfig = defineConfig({
  ssr: {
    resolve: {
      conditions: ['@dendrite/source', 'module', 'node', 'development|production'],
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Timeouts catch hangs, not slowness: on a loaded 2-core machine running every package's
    // tests at once, a test can take ten times what it takes alone. No test has a time budget.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
