import { fileURLToPath } from 'node:url';
import { testReadmeExamples } from '../../../vitest.readme.js';

testReadmeExamples(fileURLToPath(new URL('..', import.meta.url)));
