import { NeuralNetworkError } from '@dendrite/nn';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerDemo } from './commands/demo.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerGpt } from './commands/gpt.js';
import { registerGraph } from './commands/graph.js';
import { registerInspect } from './commands/inspect.js';
import { registerPlayground } from './commands/playground.js';
import { registerPredict } from './commands/predict.js';
import { registerTrain } from './commands/train.js';
import { CliError } from './errors.js';
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
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // already printed
    if (error instanceof CliError || error instanceof NeuralNetworkError) {
      io.stderr.write(`dendrite: ${oneLine(error.message)}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    io.stderr.write(
      `dendrite: unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}\n` +
        '(this is a bug in dendrite; please report it with the command you ran)\n',
    );
    return 1;
  }
}

/** An error message as the one line the CLI promises, whatever its source wrote. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
