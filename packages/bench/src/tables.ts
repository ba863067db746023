/**
 * Small tables: `dendrite train` with its defaults against scikit-learn's default MLP, on the five
 * small public data sets scikit-learn ships (iris, wine, breast cancer, digits, diabetes), on the
 * same splits. For each data set and each of 5 seeds, scikit-learn (Debian's python3-sklearn,
 * run as `/usr/bin/python3`, or `$PYTHON`) splits the rows 75/25 (stratified for classes) and
 * writes both parts as CSV files; dendrite trains on the first with `dendrite train FILE
 * --target T --seed S` and no other flag and is scored on the second by `dendrite eval`, as a
 * user would; scikit-learn's `MLPClassifier`/`MLPRegressor(hidden_layer_sizes=(16,))` with its
 * defaults trains on the same rows, as they are and after its recommended `StandardScaler`.
 * Reports the median over the seeds. Without scikit-learn it says so and skips. Part of
 * `pnpm bench` (run.ts); alone: `pnpm --filter @dendrite/bench tables`, which rewrites its section
 * of BENCHMARKS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceSection } from './benchmarks-file.js';
import { run } from '@dendrite/cli';
import { PassThrough } from 'node:stream';

const seeds = [1, 2, 3, 4, 5];

/** What the Python side writes: per data set and seed, scikit-learn's scores and the target. */
interface Split {
  dataset: string;
  seed: number;
  target: string;
  regression: boolean;
  rows: number;
  inputs: number;
  sklearn: number;
  scaled: number;
  converged: number;
}

// Writes <dataset>-<seed>-train.csv and -test.csv into the directory, and sklearn.json.
const python = `
import json, os, sys, warnings
warnings.filterwarnings('ignore')
from sklearn import datasets
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
out, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(',')]
sets = [
  ('iris', datasets.load_iris(), 'species', ['setosa', 'versicolor', 'virginica']),
  ('wine', datasets.load_wine(), 'cultivar', ['cultivar 1', 'cultivar 2', 'cultivar 3']),
  ('breast cancer', datasets.load_breast_cancer(), 'diagnosis', ['malignant', 'benign']),
  ('digits', datasets.load_digits(), 'digit', [str(d) for d in range(10)]),
  ('diabetes', datasets.load_diabetes(scaled=False), 'progression', None),
]
results = []
for name, data, target, classes in sets:
  X, y = data.data, data.target
  for seed in seeds:
    parts = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=None if classes is None else y)
    for part, rows, labels in [('train', parts[0], parts[2]), ('test', parts[1], parts[3])]:
      with open(os.path.join(out, f'{name}-{seed}-{part}.csv'), 'w') as f:
        f.write(','.join([c.replace(',', ' ') for c in data.feature_names] + [target]) + '\\n')
        for row, label in zip(rows, labels):
          cell = classes[int(label)] if classes else repr(float(label))
          f.write(','.join(repr(float(v)) for v in row) + ',' + cell + '\\n')
    scores = []
    for scaled, iterations in [(False, 200), (True, 200), (True, 2000)]:
      mlp = (MLPRegressor if classes is None else MLPClassifier)(hidden_layer_sizes=(16,), max_iter=iterations, random_state=seed)
      model = make_pipeline(StandardScaler(), mlp) if scaled else mlp
      if iterations > 200 and classes is None:
        model = TransformedTargetRegressor(model, transformer=StandardScaler())
      model.fit(parts[0], parts[2])
      score = r2_score if classes is None else accuracy_score
      scores.append(score(parts[3], model.predict(parts[1])))
    results.append({'dataset': name, 'seed': seed, 'target': target, 'regression': classes is None,
      'rows': len(X), 'inputs': X.shape[1], 'sklearn': scores[0], 'scaled': scores[1], 'converged': scores[2]})
json.dump(results, open(os.path.join(out, 'sklearn.json'), 'w'))
`;

/** The interpreter with scikit-learn, or why there is none. */
function findPython(): { python: string; version: string } | { missing: string } {
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    return { missing: `no scikit-learn for ${python} (Debian: apt-get install python3-sklearn)` };
  }
  return { python, version: probe.stdout.trim() };
}

/** Runs a `dendrite` command in this process and returns its JSON output. */
async function dendrite(args: string[]): Promise<Record<string, unknown>> {
  let out = '';
  let err = '';
  const io = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: new PassThrough(),
  };
  const code = await run(args, io);
  if (code !== 0) throw new Error(`dendrite ${args.join(' ')} failed: ${err}`);
  return JSON.parse(out) as Record<string, unknown>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const shown = (value: number) => value.toFixed(3);

/** The comparison as a markdown section body: the table, or why it was skipped. */
export async function tablesBenchmark(): Promise<string> {
  const found = findPython();
  if ('missing' in found) return `Skipped: ${found.missing}.`;
  const directory = mkdtempSync(join(tmpdir(), 'dendrite-tables-'));
  try {
    execFileSync(found.python, ['-c', python, directory, seeds.join(',')], { stdio: 'inherit' });
    const splits = JSON.parse(readFileSync(join(directory, 'sklearn.json'), 'utf8')) as Split[];
    const scores = new Map<string, { dendrite: number[]; seconds: number; splits: Split[] }>();
    for (const split of splits) {
      const file = (part: string) => join(directory, `${split.dataset}-${split.seed}-${part}`);
      const start = performance.now();
      await dendrite([
        'train',
        `${file('train')}.csv`,
        '--target',
        split.target,
        '--seed',
        String(split.seed),
        '-o',
        `${file('model')}.json`,
        '--json',
      ]);
      const seconds = (performance.now() - start) / 1000;
      const scored = await dendrite([
        'eval',
        `${file('model')}.json`,
        `${file('test')}.csv`,
        '--json',
      ]);
      const metrics = scored.metrics as { accuracy?: number; r2?: number };
      const entry = scores.get(split.dataset) ?? { dendrite: [], seconds: 0, splits: [] };
      entry.dendrite.push(split.regression ? metrics.r2! : metrics.accuracy!);
      entry.seconds += seconds;
      entry.splits.push(split);
      scores.set(split.dataset, entry);
    }
    const rows = [...scores].map(([name, { dendrite: ours, seconds, splits: parts }]) => {
      const [{ rows: count, inputs, regression }] = parts as [Split];
      const [theirs, scaled, converged] = (['sklearn', 'scaled', 'converged'] as const).map((key) =>
        median(parts.map((s) => s[key])),
      ) as [number, number, number];
      const difference = median(ours) - Math.max(theirs, scaled);
      return `| ${name} | ${count} × ${inputs} | ${regression ? 'R²' : 'accuracy'} | ${shown(median(ours))} (${shown(Math.min(...ours))}–${shown(Math.max(...ours))}) | ${shown(theirs)} | ${shown(scaled)} | ${difference >= 0 ? '+' : ''}${shown(difference)} | ${shown(converged)} | ${(seconds / parts.length).toFixed(1)} s |`;
    });
    return [
      `scikit-learn ${found.version} (${found.python}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; medians of seeds ${seeds.join(', ')} (range in brackets); the test quarter of each split.`,
      '',
      '| data set | rows × inputs | metric | dendrite, defaults | scikit-learn MLP(16), defaults | the same after StandardScaler | dendrite − the better | scikit-learn scaled, max_iter 2000 | dendrite s a run |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The section of BENCHMARKS.md: what was compared, how, and the table. */
export async function tablesSection(): Promise<string> {
  return `${heading}

\`dendrite train FILE --target T --seed S\` with no other flag, scored by \`dendrite eval\` on a
file of rows it never saw, against scikit-learn's \`MLPClassifier\` / \`MLPRegressor\` with
\`hidden_layer_sizes=(16,)\` (dendrite's default layer) and every other setting its default, on the
same 75/25 splits (stratified for classes; \`train_test_split\` with \`random_state\` = the seed).
scikit-learn's MLP takes the numbers as they are; its documentation recommends scaling them
first, so it also runs after a \`StandardScaler\`; the last column is a fit trained to
convergence (2000 iterations, scaled inputs and, for regression, scaled targets), a ceiling for
a network of this size rather than anyone's default. dendrite's defaults: Adam at 0.003, early
stopping on a fifth of the training rows (patience 50, at most 1000 epochs), each class split
alone, then a refit on every row for the epochs early stopping kept (see the CLI's README).
Written by \`pnpm bench\`; alone: \`pnpm --filter @dendrite/bench tables\`.

${await tablesBenchmark()}
`;
}

const heading = "## Small tables: dendrite train's defaults against scikit-learn's default MLP";

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await tablesSection();
  console.log(section);
  replaceSection(heading, section);
}
