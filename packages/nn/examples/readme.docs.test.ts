import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '../../../vitest.readme.js';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)));

// The root README's example uses this package and the engine, so it runs from here too.
testReadmeExamples(
  fileURLToPath(new URL('..', import.meta.url)),
  fileURLToPath(new URL('../../../README.md', import.meta.url)),
);
