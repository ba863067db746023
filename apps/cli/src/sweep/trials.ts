// A sweep's trials, listed up front: every setting × seed × fold, each with its key and the
// `dendrite train` arguments that run it.
import { seededRandom, type Random } from '@dendrite/nn';
import { createHash } from 'node:crypto';
import { CliError } from '../errors.js';
import type { FlagValue, Parameter, Spec } from './spec.js';

/** One training run of a sweep. */
export interface Trial {
  /** Names the trial's job and its row: a hash of the data's, the arguments, the seed and fold. */
  key: string;
  /** Its place in the list (settings, then seeds, then folds). */
  index: number;
  /** Which setting it runs, and that setting's swept parameters. */
  setting: number;
  params: Record<string, FlagValue>;
  seed: string;
  /** The fold scored, from 1. */
  fold: number;
  /** `dendrite train`'s arguments after the data file (without --json, -q or -o). */
  args: string[];
}

/** The most trials a sweep lists. */
export const mostTrials = 100_000;

/** A flag and its value as `dendrite train` arguments: a switch, a list, or a word. */
export function flag(name: string, given: FlagValue): string[] {
  if (given === true) return [`--${name}`];
  if (given === false) return [`--no-${name}`];
  return [`--${name}`, Array.isArray(given) ? given.join(',') : String(given)];
}

/** The settings a spec runs: its grid in order, or its random draws (each setting once). */
export function settingsOf(spec: Spec): Record<string, FlagValue>[] {
  const entries = Object.entries(spec.parameters);
  if (spec.method === 'grid') {
    let settings: Record<string, FlagValue>[] = [{}];
    for (const [name, given] of entries) {
      const values = (given as { values: FlagValue[] }).values;
      settings = settings.flatMap((setting) => values.map((v) => ({ ...setting, [name]: v })));
      if (settings.length > mostTrials)
        throw new CliError(`the grid has over ${mostTrials} settings`);
    }
    return settings;
  }
  const random = seededRandom(spec.seed);
  const seen = new Map<string, Record<string, FlagValue>>();
  // (draws that repeat a setting are skipped, so a small space may give fewer than `trials`)
  for (let draw = 0; draw < spec.trials! * 20 && seen.size < spec.trials!; draw++) {
    const setting = Object.fromEntries(
      entries.map(([name, given]) => [name, drawn(given, random)]),
    );
    const id = JSON.stringify(setting);
    if (!seen.has(id)) seen.set(id, setting);
  }
  return [...seen.values()];
}

/** One value of a parameter: one of its values, or a point of its range (4 significant digits). */
function drawn(given: Parameter, random: Random): FlagValue {
  if ('values' in given) return given.values[Math.floor(random.next() * given.values.length)]!;
  const { min, max, log = false, integer = false } = given;
  const u = random.next();
  const x = log
    ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)))
    : min + u * (max - min);
  return integer ? Math.round(x) : Number(x.toPrecision(4));
}

/** A setting's `dendrite train` arguments after the data file: the target, the fixed flags, its own. */
export function settingArgs(spec: Spec, params: Record<string, FlagValue>): string[] {
  const flags = (given: Record<string, FlagValue>) =>
    Object.entries(given).flatMap(([name, value]) => flag(name, value));
  return [
    ...(spec.target === undefined ? [] : flag('target', spec.target)),
    ...flags(spec.fixed),
    ...flags(params),
  ];
}

/** Every trial of a spec on data of this hash: settings, then seeds, then folds, in that order. */
export function listTrials(spec: Spec, dataHash: string): Trial[] {
  const settings = settingsOf(spec);
  const count = settings.length * spec.seeds.length * spec.cv.folds;
  if (count > mostTrials) throw new CliError(`the sweep lists ${count} trials, over ${mostTrials}`);
  const trials: Trial[] = [];
  const byKey = new Map<string, Trial>();
  settings.forEach((params, setting) => {
    const setup = settingArgs(spec, params);
    for (const seed of spec.seeds.map(String)) {
      for (let fold = 1; fold <= spec.cv.folds; fold++) {
        const args = [
          ...setup,
          ...['--seed', seed, '--split-seed', String(spec.cv.seed)],
          ...['--folds', String(spec.cv.folds), '--fold', String(fold)],
        ];
        const key = createHash('sha256')
          .update(JSON.stringify([dataHash, args]))
          .digest('hex')
          .slice(0, 16);
        const twin = byKey.get(key);
        if (twin !== undefined) {
          throw new CliError(
            `the spec lists the same trial twice (settings ${twin.setting + 1} and ${setting + 1}, seed ${seed}): remove the repeated value or seed`,
          );
        }
        const trial = { key, index: trials.length, setting, params, seed, fold, args };
        trials.push(trial);
        byKey.set(key, trial);
      }
    }
  });
  return trials;
}

/** The `dendrite train` command line that reruns a trial, from the spec's folder. */
export function commandLine(data: string, args: readonly string[]): string {
  const quoted = (word: string) =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return ['dendrite', 'train', data, ...args].map(quoted).join(' ');
}

/** A data file's hash, which names it to workers and keys its trials. */
export function dataHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
