import { modelFile } from './model-schema.js';

/** The model file's schema, imported with the rest of the package (browsers and other runtimes). */
export const modelSchema = () => modelFile;
