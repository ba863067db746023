import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// The tests run the built `dendrite` binary, so the global setup brings dist/ up to date first.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { globalSetup: ['./src/build.test-helper.ts'] } }),
);
