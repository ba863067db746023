/**
 * The `dendrite` command, callable from code: `run(args, io)` resolves to the exit code.
 * @packageDocumentation
 * @module @dendrite/cli
 */
export { run, createProgram } from './program.js';
export { CliError } from './errors.js';
export type { Io } from './io.js';
