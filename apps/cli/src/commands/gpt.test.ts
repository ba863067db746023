import { microgptReference } from '@dendrite/fixtures';
import { gptFromFile } from '@dendrite/nn';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace({
    'init.json': JSON.stringify(microgptReference.init),
    'docs.txt': `${microgptReference.documents.join('\n')}\n`,
    'names.txt': 'anna\nbob\n\ncarl\nrené\n',
    'empty.txt': '\n \n',
  });
});

describe('dendrite gpt', () => {
  it('trains from given weights and documents in order, step for step as the reference', async () => {
    const { documents, losses } = microgptReference;
    const args = ['gpt', 'train', '--data', 'docs.txt', '--init', 'init.json', '--no-shuffle'];
    const run = await dendrite(
      [...args, '--steps', String(documents.length), '--samples', '3', '-o', 'gpt.json'],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(0);
    const printed = [...run.stdout.matchAll(/^step +(\d+) \/ 40 \| loss (\d\.\d{4})$/gm)];
    expect(printed.map((m) => m[2])).toEqual(losses.map((loss) => loss.toFixed(4)));
    expect(run.stderr).toMatch(/^trained 40 steps in [\d.]+ s \([\d.]+ ms a step/);
    expect(run.stdout.split('samples:\n')[1]!.split('\n').filter(Boolean)).toHaveLength(3);
    const trained = gptFromFile(JSON.parse(await readFile(join(cwd, 'gpt.json'), 'utf8')));
    expect(trained.config.chars).toBe((microgptReference.init as { chars: string }).chars);

    const sample = ['gpt', 'sample', 'gpt.json', '--count', '5', '--seed', '3'];
    const [first, again] = [await dendrite(sample, { cwd }), await dendrite(sample, { cwd })];
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(again.stdout);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(5);
  });

  it('prints the mean loss since the last line with --every, and says when nothing is saved', async () => {
    const { losses } = microgptReference;
    const args = ['gpt', 'train', '--data', 'docs.txt', '--init', 'init.json', '--no-shuffle'];
    const run = await dendrite([...args, '--steps', '40', '--every', '15', '--samples', '0'], {
      cwd,
    });
    expect(run.code, run.stderr).toBe(0);
    const mean = (from: number, to: number) =>
      (losses.slice(from, to).reduce((a, b) => a + b, 0) / (to - from)).toFixed(4);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `step 15 / 40 | loss ${losses[14]!.toFixed(4)} | mean of the last 15 ${mean(0, 15)}`,
      `step 30 / 40 | loss ${losses[29]!.toFixed(4)} | mean of the last 15 ${mean(15, 30)}`,
      `step 40 / 40 | loss ${losses[39]!.toFixed(4)} | mean of the last 10 ${mean(30, 40)}`,
    ]);
    // Said before the steps (the run may be long) and again at the end.
    expect(run.stderr).toMatch(/^dendrite: the trained GPT will not be saved: add -o gpt\.json/);
    expect(run.stderr).toMatch(/not saved: add -o gpt\.json to keep the trained GPT\n$/);
  });

  it('trains a fresh GPT of the sizes asked for, on the characters of its documents', async () => {
    const run = await dendrite(
      ['gpt', 'train', '-d', 'names.txt', '--steps', '6', '--n-embd', '4', '--n-head', '2'],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^step 6 \/ 6 \| loss \d\.\d{4}$/m);
    const samples = run.stdout.split('samples:\n')[1]!.trimEnd().split('\n');
    expect(samples).toHaveLength(20);
    expect(samples.every((name) => /^[abcelnoré]*$/.test(name))).toBe(true);
  });

  it('says what is wrong with its input', async () => {
    const train = ['gpt', 'train', '--data'];
    expectFailure(
      await dendrite([...train, 'docs.txt', '--init', 'init.json', '--n-embd', '8'], { cwd }),
      2,
      'dendrite: --n-embd cannot be used with --init: the sizes come from its file',
    );
    expectFailure(
      await dendrite([...train, 'names.txt', '--init', 'init.json'], { cwd }),
      1,
      "dendrite: document 4 of names.txt ('rené') has 'é', which the GPT's characters",
    );
    expectFailure(
      await dendrite([...train, 'empty.txt'], { cwd }),
      1,
      'dendrite: empty.txt has no documents',
    );
    expectFailure(
      await dendrite([...train, 'missing.txt'], { cwd }),
      1,
      'dendrite: cannot read missing.txt: no such file or directory',
    );
    expectFailure(
      await dendrite([...train, 'names.txt', '--n-embd', '6', '--n-head', '4'], { cwd }),
      1,
      'dendrite: n_embd (6) must be a multiple of n_head (4)',
    );
    expectFailure(
      await dendrite([...train, 'names.txt', '--n-embd', '256', '--block-size', '256'], { cwd }),
      1,
      /^dendrite: a GPT of width 256, 1 block and block size 256 would need about [\d.]+ GB of memory, more than the limit of 1 GB; if the machine has it, raise the limit with --max-memory \d+$/m,
    );
    expectFailure(
      await dendrite([...train, 'names.txt', '--steps', '0'], { cwd }),
      2,
      "option '--steps <n>' argument '0' is invalid. it must be a whole number ≥ 1.",
    );
    expectFailure(
      await dendrite(['gpt', 'sample', 'people.csv'], { cwd }),
      1,
      /dendrite: people.csv is not JSON: /,
    );
    expectFailure(
      await dendrite(['gpt', 'sample', 'names.txt'], { cwd }),
      1,
      /dendrite: names.txt is not JSON/,
    );
  });
});
