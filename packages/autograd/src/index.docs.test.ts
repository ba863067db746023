import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testExportsAreDocumented, testFieldsAreDocumented } from '../../../vitest.exports.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the public API', () => {
  testExportsAreDocumented(packageDir);
});

describe('the records the hot paths run over', () => {
  testFieldsAreDocumented(packageDir, {
    'src/tape/tape.ts': ['Tape', 'OpSteps', 'SumSteps'],
    'src/tape/layout.ts': ['Leaves', 'BoundParameters', 'Layout'],
    'src/tape/lanes.ts': ['Lanes', 'Simd'],
    'src/tape/batched.ts': ['Batched'],
    'src/tape/neuron-simd.ts': ['NeuronTable'],
  });
});
