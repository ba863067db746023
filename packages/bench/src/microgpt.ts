/**
 * microgpt: 1,000 steps of the default configuration (4,192 parameters, one document a step),
 * dendrite beside the float64 Python reference (`microgpt-ref.py`) in the same run, from the same
 * initial weights and documents: the time per step of each, and the largest difference between
 * their per-step losses. dendrite runs in a fresh process; its time includes building and
 * compiling the graph. Part of `pnpm bench` (run.ts); alone:
 * `pnpm --filter @dendrite/bench microgpt [--reference path/to/microgpt-ref.py] [--steps N]`.
 * Without the reference script (or python3), dendrite runs alone from weights of its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  gptFromFile,
  gptToFile,
  gptTrainer,
  initialWeights,
  microgptSizes,
  seededRandom,
  vocabularyOf,
} from '@dendrite/nn';

const names = fileURLToPath(new URL('../../fixtures/data/names.txt', import.meta.url));
/** Where the reference usually is: `shared/tools` beside the repository. */
const defaultReference = fileURLToPath(
  new URL('../../../../shared/tools/microgpt-ref.py', import.meta.url),
);

interface DendriteRun {
  buildMs: number;
  stepsMs: number;
  losses: number[];
}

/** dendrite's run (in this process): build the trainer, then one step per document. */
function dendrite(directory: string): DendriteRun {
  const gpt = gptFromFile(JSON.parse(readFileSync(join(directory, 'init.json'), 'utf8')));
  const documents = readFileSync(join(directory, 'docs.txt'), 'utf8').split('\n').filter(Boolean);
  const started = performance.now();
  const trainer = gptTrainer(gpt, { steps: documents.length });
  const built = performance.now();
  const losses = documents.map((document) => trainer.step(document));
  return { buildMs: built - started, stepsMs: performance.now() - built, losses };
}

/** Runs both and returns the markdown table's rows. */
export function microgptBenchmark(options: { reference?: string; steps?: number } = {}): string {
  const { reference = defaultReference, steps = 1000 } = options;
  const directory = mkdtempSync(join(tmpdir(), 'dendrite-microgpt-'));
  try {
    let pythonMs: number | undefined;
    let expected: number[] | undefined;
    let python = 'not run: the reference script was not found';
    if (existsSync(reference)) {
      const started = performance.now();
      try {
        execFileSync('python3', [reference, names, directory, '--steps', String(steps)], {
          stdio: 'ignore',
        });
        pythonMs = performance.now() - started;
        expected = JSON.parse(readFileSync(join(directory, 'losses.json'), 'utf8')) as number[];
        python = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
      } catch (error) {
        python = `not run: ${(error as Error).message.split('\n')[0]}`;
      }
    }
    if (expected === undefined) ownStart(directory, steps);
    const output = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--worker', directory],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const ours = JSON.parse(output) as DendriteRun;
    const perStep = (ms: number) => ms / steps;
    const worst = expected?.reduce(
      (m, loss, i) => Math.max(m, Math.abs(loss - ours.losses[i]!)),
      0,
    );
    const total = ours.buildMs + ours.stepsMs;
    const rows = [
      '| run | ms a step | × the reference | final loss | largest per-step loss difference |',
      '| --- | --- | --- | --- | --- |',
      pythonMs === undefined
        ? `| Python float64 reference | (${python}) | | | |`
        : `| Python float64 reference (${python}) | ${perStep(pythonMs).toFixed(1)} | 1 | ${expected!.at(-1)!.toFixed(6)} | |`,
      `| dendrite, build + compile (${ours.buildMs.toFixed(0)} ms) included | ${perStep(total).toFixed(3)} | ${pythonMs === undefined ? '' : (pythonMs / total).toFixed(0)} | ${ours.losses.at(-1)!.toFixed(6)} | ${worst === undefined ? '' : worst.toExponential(1)} |`,
      `| dendrite, steps only | ${perStep(ours.stepsMs).toFixed(3)} | ${pythonMs === undefined ? '' : (pythonMs / ours.stepsMs).toFixed(0)} | | |`,
    ];
    console.log(rows.join('\n'));
    return rows.join('\n');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Without the reference: microgpt's default sizes from seed 42, the names in file order. */
function ownStart(directory: string, steps: number): void {
  const documents = readFileSync(names, 'utf8').split('\n').filter(Boolean).slice(0, steps);
  const config = { chars: vocabularyOf(documents), ...microgptSizes };
  const weights = initialWeights(config, seededRandom(42));
  writeFileSync(join(directory, 'init.json'), JSON.stringify(gptToFile({ config, weights })));
  writeFileSync(join(directory, 'docs.txt'), `${documents.join('\n')}\n`);
}

// Run as a script (not when run.ts imports it, whose own workers take `--worker` too).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--worker') {
  console.log(JSON.stringify(dendrite(process.argv[3]!)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const steps = at('--steps');
  microgptBenchmark({
    ...(at('--reference') === undefined ? {} : { reference: at('--reference')! }),
    ...(steps === undefined ? {} : { steps: Number(steps) }),
  });
}
