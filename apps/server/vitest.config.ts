import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// Also the Playground page's browser tests, next to the page (they skip without Chromium).
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ['page/**/*.test.ts'] } }),
);
