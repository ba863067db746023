import { createRequire } from 'node:module';
import type * as Schema from './model-schema.js';

let loaded: typeof Schema | undefined;

/**
 * The model file's schema, loaded in Node the first time it is needed: importing zod costs more
 * than a whole small training run, which reads no model file (`require` of an ES module: Node ≥ 20.19).
 */
export const modelSchema = () =>
  (loaded ??= createRequire(import.meta.url)('./model-schema.js') as typeof Schema).modelFile;
