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
  },
});
