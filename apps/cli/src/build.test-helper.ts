import { buildWithDependencies } from '../../../vitest.build.js';

/** Vitest global setup: the tests run the built binary, so dist/ (and what it imports) is brought up to date first. */
export default function build(): void {
  buildWithDependencies(new URL('../', import.meta.url));
}
