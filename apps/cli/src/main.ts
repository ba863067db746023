#!/usr/bin/env node
// The `dendrite` executable: runs the command line and exits with its code.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), process);
