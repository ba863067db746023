import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { wholeNumber } from '../options.js';
import { json } from '../text.js';
import { readSummary, showSweep } from './sweep-show.js';

/** The options of \`dendrite sweep\`, as commander parses them. */
interface SweepCommandOptions {
  out?: string;
  workers?: number;
  queue?: string;
  resume?: boolean;
  publish?: string;
  publishUrl?: string;
  publishName?: string;
}

/** `dendrite sweep`, `dendrite sweep show` and `dendrite worker`: many training runs at once. */
export function registerSweep(program: Command, io: Io): void {
  const sweep = program
    .command('sweep')
    .summary(
      'many training runs: a grid or random search with cross-validation, on every core or many machines',
    )
    .description(
      "Runs every trial of a sweep spec (a YAML or JSON file whose parameter names are dendrite train's" +
        ' flags): each setting × seed × fold of a stratified k-fold cross-validation, on child processes' +
        ' here or on dendrite workers through a Redis queue. Each trial is recorded once, in' +
        ' DIR/trials.jsonl, with the dendrite train line that reruns it; then DIR/summary.json ranks the' +
        ' settings, and the best is trained again on every training row and tested on rows no trial saw.',
    )
    .argument('<spec>', 'the sweep spec (its data path is relative to its folder)')
    .option(
      '-o, --out <dir>',
      "the sweep's directory (default: the spec's name + .sweep, beside it)",
    )
    .option(
      '-w, --workers <n>',
      'child processes on this machine (default: one per core)',
      wholeNumber(1),
    )
    .option(
      '--queue <url>',
      'hand the trials to dendrite workers through Redis, e.g. redis://host:6379/0',
    )
    .option(
      '--resume',
      'finish a sweep whose coordinator stopped: only the trials not recorded run',
    )
    .option(
      '--publish <dir>',
      "add the refit model to a server's model repository, as its next version",
    )
    .option(
      '--publish-url <url>',
      'PUT the refit model to a running dendrite server (its admin token in DENDRITE_ADMIN_TOKEN)',
    )
    .option('--publish-name <name>', "the model's name on the server (default: the spec's name)")
    .addHelpText(
      'after',
      `
A spec (iris.yaml):
  data: iris.csv
  target: species
  method: grid                        # or random, with trials: N and seed: S
  metric: { name: accuracy, goal: maximize }
  fixed: { epochs: 100, optimizer: adam }
  parameters:
    learning-rate: { values: [0.003, 0.01, 0.03] }
    layers: { values: ["8", "16", "16,16"] }   # random also takes { min, max, log: true }
  seeds: [1, 2]
  cv: { folds: 5, seed: 7 }           # the default: 5 folds, seed 1
  refit: true

Examples:
  $ dendrite sweep iris.yaml                          every core of this machine
  $ dendrite sweep iris.yaml --workers 2 --out runs/iris
  $ dendrite sweep iris.yaml --queue redis://10.0.0.5:6379/0   with dendrite worker on each machine
  $ dendrite sweep iris.yaml --resume                 after the coordinator stopped
  $ dendrite sweep iris.yaml --publish models         the best model as models/iris's next version
  $ dendrite sweep show iris.sweep --top 5`,
    )
    .action(async (specPath: string, options: SweepCommandOptions) => {
      if (options.queue !== undefined && options.workers !== undefined) {
        throw new CliError(
          '--workers runs trials here; with --queue, dendrite worker runs them: give one',
          2,
        );
      }
      const out =
        options.out ?? join(dirname(specPath), `${basename(specPath, extname(specPath))}.sweep`);
      const train = program.commands.find((command) => command.name() === 'train')!;
      const flags = new Set(train.options.map((option) => option.long!.slice(2)));
      const publishing = options.publish !== undefined || options.publishUrl !== undefined;
      const target = {
        name: options.publishName ?? basename(specPath, extname(specPath)),
        ...(options.publish === undefined ? {} : { directory: options.publish }),
        ...(options.publishUrl === undefined ? {} : { url: options.publishUrl }),
      };
      const { checkTarget, publish } = await import('../sweep/publish.js');
      if (publishing) await checkTarget(target);
      const { runSweep } = await import('../sweep/run.js');
      const summary = await runSweep(
        specPath,
        {
          out,
          workers: options.workers ?? availableParallelism(),
          ...(options.queue === undefined ? {} : { queue: options.queue }),
          resume: options.resume === true,
        },
        flags,
        io,
      );
      showSweep(io, out, summary, 5);
      if (!publishing) return;
      if (summary.final === undefined) {
        throw new CliError(
          'nothing to publish: the sweep has no refit model (refit: false, or every setting failed)',
        );
      }
      const said = await publish(join(out, summary.final.model), target);
      io.stdout.write(`${said}\n`);
    });

  sweep
    .command('show')
    .description(
      "A sweep's settings ranked by its metric: mean and spread over seeds and folds, and the refit's test scores.",
    )
    .argument('<dir>', "the sweep's directory")
    .option('--json', 'the summary as JSON')
    .option('--top <n>', 'how many settings to list', wholeNumber(1), 10)
    .action(async (directory: string, options: { json?: boolean; top: number }) => {
      const summary = await readSummary(directory);
      if (options.json) io.stdout.write(json(summary));
      else showSweep(io, directory, summary, options.top);
    });

  program
    .command('worker')
    .summary("run sweeps' trials handed out through Redis (dendrite sweep --queue)")
    .description(
      'Takes trials from the Redis queue that dendrite sweep --queue fills, and runs each on a child' +
        ' process. The data comes through Redis, by its hash: no shared disk. SIGTERM or Ctrl-C' +
        ' finishes the trials in hand, then exits; a worker that dies has its trials run elsewhere.',
    )
    .requiredOption('--queue <url>', 'the Redis of the sweep, e.g. redis://10.0.0.5:6379/0')
    .option('-c, --concurrency <n>', 'trials at once (default: one per core)', wholeNumber(1))
    .addHelpText(
      'after',
      '\nExample:\n  $ dendrite worker --queue redis://10.0.0.5:6379/0 --concurrency 2',
    )
    .action(async (options: { queue: string; concurrency?: number }) => {
      const { work } = await import('../sweep/queue.js');
      await work(options.queue, options.concurrency ?? availableParallelism(), io);
    });

  program
    .command('trial-child', { hidden: true })
    .description("a sweep's child process: runs the trials its parent sends")
    .action(async () => (await import('../sweep/pool.js')).serveTrials());
}
