import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testExportsAreDocumented } from '../../../vitest.exports.js';

describe('the public API', () => {
  testExportsAreDocumented(fileURLToPath(new URL('..', import.meta.url)));
});
