export { run, createProgram } from './program.js';
export { CliError } from './errors.js';
export type { Io } from './io.js';
