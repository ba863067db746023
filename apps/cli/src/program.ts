import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerDemo } from './commands/demo.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerGpt } from './commands/gpt.js';
import { registerGraph } from './commands/graph.js';
import { registerInspect } from './commands/inspect.js';
import { registerPlayground } from './commands/playground.js';
import { registerPredict } from './commands/predict.js';
import { registerSweep } from './commands/sweep.js';
import { registerTrain } from './commands/train.js';
import { runCommand } from './errors.js';
import type { Io } from './io.js';
import { addMemoryOption } from './memory.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** The `dendrite` command with all its subcommands, reading and writing through `io`. */
export function createProgram(io: Io): Command {
  const program = new Command('dendrite')
    .description(
      'Neural networks from scratch: train, predict, evaluate, see the math, replay TensorFlow Playground.',
    )
    .version(version, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite demo                                  the lecture, end to end
  $ dendrite train --dataset xor --noise 20 -o xor.json
  $ dendrite predict xor.json 1,1 -2,3
  $ dendrite inspect xor.json
  $ dendrite playground '#dataset=circle&seed=0.5'
  $ dendrite gpt train --data names.txt -o gpt.json   microgpt
  $ dendrite sweep iris.yaml                       many runs, on every core

Exit codes: 0 done, 1 the input or the run failed, 2 the command line was wrong.`,
    );
  addMemoryOption(program);
  for (const register of [
    registerDemo,
    registerTrain,
    registerPredict,
    registerEval,
    registerInspect,
    registerGraph,
    registerExport,
    registerPlayground,
    registerGpt,
    registerSweep,
  ]) {
    register(program, io);
  }
  return program;
}

/**
 * Runs `dendrite` with these arguments (without the program name) and resolves to its exit code:
 * 0 when done, 1 when the input or the run failed, 2 for a wrong command line. Errors are printed
 * as one line on `io.stderr`, never as a stack trace.
 */
export async function run(args: readonly string[], io: Io): Promise<number> {
  const program = createProgram(io);
  if (args.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  return runCommand(program, args, io);
}
