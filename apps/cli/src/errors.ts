import { NeuralNetworkError } from '@dendrite/nn';
import { CommanderError, type Command } from 'commander';

/**
 * A problem the user can fix, printed as one line without a stack trace. Exit code 2 means the
 * command line was wrong (a usage error); 1 means the command ran but its input or the run failed.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Runs a command with these arguments (without the program name) and resolves to its exit code:
 * 0 when done, 1 when the input or the run failed, 2 for a wrong command line. Errors are printed
 * as one line on `io.stderr`, never as a stack trace.
 */
export async function runCommand(
  program: Command,
  args: readonly string[],
  io: { stderr: { write(text: string): unknown } },
): Promise<number> {
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
