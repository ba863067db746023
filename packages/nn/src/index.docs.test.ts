import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testExportsAreDocumented, testFieldsAreDocumented } from '../../../vitest.exports.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the public API', () => {
  testExportsAreDocumented(packageDir);
});

describe('the records the hot paths run over', () => {
  testFieldsAreDocumented(packageDir, {
    'src/update.ts': ['Updater'],
    'src/train.ts': ['Trainer'],
    'src/epochs.ts': ['Run'],
    'src/engines.ts': ['Engine'],
  });
});
