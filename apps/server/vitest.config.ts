import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// Also the Playground page's browser tests, next to the page (they skip without Chromium); the
// tests that start the real server run the built one, so dist/ is brought up to date first.
export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: { include: ['page/**/*.test.ts'], globalSetup: ['./src/build.test-helper.ts'] },
  }),
);
