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
