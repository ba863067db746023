import { defineConfig } from 'vitest/config';

/** Runs every package's tests in one process (`pnpm exec vitest --coverage` for a coverage report). */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    coverage: { provider: 'v8', include: ['packages/*/src/**', 'apps/*/src/**'] },
  },
});
