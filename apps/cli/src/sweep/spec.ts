// A sweep's spec: a YAML or JSON file whose parameter names are `dendrite train`'s flags.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CliError } from '../errors.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** A flag's value: a word, a number, a switch, or a list (`[16, 16]` is `16,16`). */
const value = z.union([scalar, z.array(z.union([z.string(), z.number()])).min(1)]);
const parameter = z.union([
  z.strictObject({ values: z.array(value).min(1) }),
  z.strictObject({
    min: z.number(),
    max: z.number(),
    log: z.boolean().optional(),
    integer: z.boolean().optional(),
  }),
]);
const seed = z.union([z.string().min(1), z.int()]);

/** The metrics a trial records, and which way is better for each. */
export const metricGoals = {
  loss: 'minimize',
  accuracy: 'maximize',
  macroF1: 'maximize',
  auc: 'maximize',
  mse: 'minimize',
  rmse: 'minimize',
  mae: 'minimize',
  r2: 'maximize',
  trainLoss: 'minimize',
} as const;
export type MetricName = keyof typeof metricGoals;

const schema = z.strictObject({
  data: z.string().min(1),
  target: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  method: z.enum(['grid', 'random']).default('grid'),
  trials: z.int().min(1).optional(),
  seed: seed.default(1),
  metric: z
    .strictObject({
      name: z.enum(Object.keys(metricGoals) as [MetricName, ...MetricName[]]),
      goal: z.enum(['minimize', 'maximize']).optional(),
    })
    .default({ name: 'loss' }),
  fixed: z.record(z.string(), value).default({}),
  parameters: z.record(z.string(), parameter).default({}),
  seeds: z.array(seed).min(1).default([1]),
  cv: z.strictObject({ folds: z.int().min(2).max(100).default(5), seed: seed.default(1) }).default({
    folds: 5,
    seed: 1,
  }),
  refit: z.boolean().default(true),
});

/** A sweep's spec as written, with its defaults filled in. */
export type Spec = z.infer<typeof schema>;
/** A parameter's values or range, as the spec gives it. */
export type Parameter = z.infer<typeof parameter>;
/** A flag's value in a spec. */
export type FlagValue = z.infer<typeof value>;

/** `dendrite train` flags a sweep sets itself, or that must be the same for every trial. */
const reserved: Record<string, string> = {
  seed: 'list them in seeds',
  'split-seed': 'it is cv.seed',
  folds: 'it is cv.folds',
  fold: 'every fold runs',
  output: 'the sweep saves its model in its directory',
  json: 'the sweep reads each run itself',
  quiet: 'the sweep reports progress itself',
  target: 'give target at the top of the spec',
  dataset: 'give a CSV file as data',
};
/** Flags that change which rows are held out: fixed for the whole sweep, never swept. */
const sweepWide = ['test-split', 'stratify', 'missing', 'delimiter', 'header'];

/** A spec file read and checked, with its folder and its data file's path resolved against it. */
export async function loadSpec(
  path: string,
  trainFlags: ReadonlySet<string>,
): Promise<Spec & { folder: string; dataPath: string; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`cannot read the sweep spec ${path}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new CliError(
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new CliError(`${path}: ${where}${issue.message}`);
  }
  const spec = parsed.data;
  checkSpec(spec, path, trainFlags);
  const folder = dirname(path);
  return { ...spec, folder, dataPath: resolve(folder, spec.data), text };
}

/** Throws a `CliError` naming what is wrong in a parsed spec: unknown flags, a range on a grid. */
function checkSpec(spec: Spec, path: string, trainFlags: ReadonlySet<string>): void {
  const fail = (what: string) => {
    throw new CliError(`${path}: ${what}`);
  };
  for (const [part, names] of [
    ['fixed', Object.keys(spec.fixed)],
    ['parameters', Object.keys(spec.parameters)],
  ] as const) {
    for (const name of names) {
      if (Object.hasOwn(reserved, name))
        fail(`${part}.${name}: a sweep sets --${name} itself (${reserved[name]})`);
      if (!trainFlags.has(name) && !trainFlags.has(`no-${name}`)) {
        fail(`${part}.${name}: dendrite train has no --${name} (see dendrite train --help)`);
      }
      if (part === 'parameters' && sweepWide.includes(name)) {
        fail(`parameters.${name}: it changes which rows are held out, so it goes in fixed`);
      }
    }
  }
  for (const name of Object.keys(spec.parameters)) {
    if (Object.hasOwn(spec.fixed, name))
      fail(`${name} is both fixed and a parameter: give it in one`);
  }
  for (const [name, given] of Object.entries(spec.parameters)) {
    if ('min' in given) {
      if (spec.method === 'grid')
        fail(`parameters.${name}: a range (min, max) needs method: random; a grid takes values`);
      if (!(given.min < given.max)) fail(`parameters.${name}: min must be below max`);
      if (given.log === true && !(given.min > 0))
        fail(`parameters.${name}: a log scale needs min above 0`);
    }
  }
  if (spec.method === 'random' && spec.trials === undefined)
    fail('method: random needs trials: how many settings to draw');
  if (spec.method === 'grid' && spec.trials !== undefined)
    fail('trials is for method: random (a grid runs every setting)');
}
