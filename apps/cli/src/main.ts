#!/usr/bin/env node
// The `dendrite` executable: runs the command line and exits with its code.
import { run } from './program.js';

// A reader that stops early (`dendrite … | head`) is not an error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// `pnpm dendrite train data.csv` runs at the repository's root; paths mean what they meant in
// the directory the user typed them in.
if (process.env.npm_lifecycle_event === 'dendrite' && process.env.INIT_CWD !== undefined) {
  process.chdir(process.env.INIT_CWD);
}

process.exitCode = await run(process.argv.slice(2), process);
