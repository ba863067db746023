import {
  gptFromFile,
  gptMemory,
  gptSampler,
  gptToFile,
  gptTrainer,
  initialWeights,
  microgptSizes,
  seededRandom,
  shuffle,
  vocabularyOf,
  type Gpt,
  type GptConfig,
  type Random,
} from '@dendrite/nn';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { readText, writeAtomically, type Io } from '../io.js';
import { checkMemory } from '../memory.js';
import { positiveNumber, wholeNumber } from '../options.js';

interface TrainOptions {
  data: string;
  init?: string;
  shuffle: boolean;
  steps: number;
  learningRate: number;
  nEmbd: number;
  nHead: number;
  nLayer: number;
  blockSize: number;
  seed: string;
  output?: string;
  samples: number;
  temperature: number;
  every: number;
}

interface SampleOptions {
  count: number;
  temperature: number;
  seed: string;
}

const sizeOptions = ['nEmbd', 'nHead', 'nLayer', 'blockSize'] as const;

/** `dendrite gpt`: microgpt, a one-block GPT over characters, trained and sampled by dendrite. */
export function registerGpt(program: Command, io: Io): void {
  const gpt = program
    .command('gpt')
    .summary('train microgpt, a tiny GPT over characters, and sample from it')
    .description(
      "Karpathy's microgpt on dendrite's scalar engine: token and position embeddings, RMS norm," +
        ' causal multi-head attention and a ReLU MLP, trained one document a step with Adam.',
    );
  gpt
    .command('train')
    .description(
      'Trains a GPT on a text file of documents, one a line (such as the names in makemore’s' +
        ' names.txt), printing the loss at each step, then samples a few documents. The weights' +
        ' start fresh (N(0, 0.08²), drawn from --seed) or from a GPT file (--init), whose sizes' +
        ' and characters are then used.',
    )
    .requiredOption('-d, --data <file>', 'documents, one a line ("-" for stdin)')
    .option('--init <file>', 'start from this GPT file (a state dict with its sizes)')
    .option('--no-shuffle', 'take the documents in file order (default: shuffled by --seed)')
    .option('--steps <n>', 'training steps, one document each', wholeNumber(1), 1000)
    .option('--learning-rate <rate>', 'Adam’s rate at step 1, decayed to 0', positiveNumber, 0.01)
    .option(
      '--n-embd <n>',
      'the width of each position’s vector',
      wholeNumber(1),
      microgptSizes.n_embd,
    )
    .option(
      '--n-head <n>',
      'attention heads (they split --n-embd)',
      wholeNumber(1),
      microgptSizes.n_head,
    )
    .option('--n-layer <n>', 'transformer blocks', wholeNumber(1), microgptSizes.n_layer)
    .option(
      '--block-size <n>',
      'the most positions a document is read over',
      wholeNumber(1),
      microgptSizes.block_size,
    )
    .option('--seed <seed>', 'seed of the starting weights, the shuffle and the samples', '42')
    .option('-o, --output <file>', 'write the trained GPT file here (without it, nothing is saved)')
    .option('--samples <n>', 'documents to sample after training', wholeNumber(0), 20)
    .option('--temperature <t>', 'sampling temperature (lower: safer choices)', positiveNumber, 0.5)
    .option(
      '--every <n>',
      'print every n steps: that step’s loss (one document’s) and the mean over the n steps',
      wholeNumber(1),
      1,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite gpt train --data names.txt -o gpt.json
  $ dendrite gpt train --data names.txt --steps 200 --n-embd 8 --n-head 2 --every 20
  $ dendrite gpt train --data docs.txt --init init.json --no-shuffle   (compare runs exactly)`,
    )
    .action(async (options: TrainOptions, command: Command) => {
      const documents = (await readText(options.data, io))
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      if (documents.length === 0) throw new CliError(`${options.data} has no documents`);
      const random = seededRandom(options.seed);
      const sized = sizeOptions.find((name) => command.getOptionValueSource(name) === 'cli');
      if (options.init !== undefined && sized !== undefined) {
        const flag = `--${sized.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new CliError(`${flag} cannot be used with --init: the sizes come from its file`, 2);
      }
      const model =
        options.init === undefined
          ? freshGpt(documents, options, random)
          : await readGpt(options.init, io);
      checkCharacters(documents, model.config, options.data);
      const { n_embd, n_layer, block_size } = model.config;
      checkMemory(
        program,
        `a GPT of width ${n_embd}, ${n_layer} block${n_layer === 1 ? '' : 's'} and block size ${block_size}`,
        gptMemory(model.config),
      );
      if (options.shuffle) shuffle(documents, random);
      const started = performance.now();
      const trainer = gptTrainer(model, {
        steps: options.steps,
        learningRate: options.learningRate,
      });
      if (options.output === undefined) {
        io.stderr.write(
          'dendrite: the trained GPT will not be saved: add -o gpt.json to keep it\n',
        );
      }
      const width = String(options.steps).length;
      let loss = Number.NaN;
      // One document's loss jumps about: with --every n, each line also gives the mean since the last.
      let sum = 0;
      let count = 0;
      for (let step = 0; step < options.steps; step++) {
        loss = trainer.step(documents[step % documents.length]!);
        sum += loss;
        count++;
        if ((step + 1) % options.every === 0 || step + 1 === options.steps) {
          const mean =
            options.every > 1 ? ` | mean of the last ${count} ${(sum / count).toFixed(4)}` : '';
          io.stdout.write(
            `step ${String(step + 1).padStart(width)} / ${options.steps} | loss ${loss.toFixed(4)}${mean}\n`,
          );
          sum = count = 0;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      io.stderr.write(
        `trained ${options.steps} steps in ${seconds.toFixed(1)} s (${((seconds * 1000) / options.steps).toFixed(2)} ms a step, the graph's build included); final loss ${loss.toFixed(4)}\n`,
      );
      if (options.output !== undefined) {
        await writeAtomically(options.output, `${JSON.stringify(gptToFile(model))}\n`);
        io.stderr.write(`wrote ${options.output}\n`);
      } else io.stderr.write('not saved: add -o gpt.json to keep the trained GPT\n');
      if (options.samples > 0) {
        io.stdout.write('samples:\n');
        printSamples(io, model, options.samples, options.temperature, random);
      }
    });
  gpt
    .command('sample')
    .description('Prints documents sampled from a trained GPT file.')
    .argument('<model>', 'a GPT file (from dendrite gpt train -o)')
    .option('-n, --count <n>', 'how many documents', wholeNumber(1), 20)
    .option('--temperature <t>', 'sampling temperature (lower: safer choices)', positiveNumber, 0.5)
    .option('--seed <seed>', 'seed of the draws', '42')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite gpt sample gpt.json
  $ dendrite gpt sample gpt.json --count 5 --temperature 1 --seed 7`,
    )
    .action(async (path: string, options: SampleOptions) => {
      const model = await readGpt(path, io);
      printSamples(io, model, options.count, options.temperature, seededRandom(options.seed));
    });
}

/** A new GPT with the sizes given and the documents' characters, its weights drawn from `random`. */
function freshGpt(documents: string[], options: TrainOptions, random: Random): Gpt {
  const config: GptConfig = {
    chars: vocabularyOf(documents),
    n_embd: options.nEmbd,
    n_head: options.nHead,
    n_layer: options.nLayer,
    block_size: options.blockSize,
  };
  return { config, weights: initialWeights(config, random) };
}

/** A GPT file, read and checked. */
async function readGpt(path: string, io: Io): Promise<Gpt> {
  let file: unknown;
  try {
    file = JSON.parse(await readText(path, io));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return gptFromFile(file);
  } catch (error) {
    throw new CliError(`${path}: ${(error as Error).message}`);
  }
}

/** Refuses documents with characters the GPT does not know, naming the first one and its line. */
function checkCharacters(documents: string[], config: GptConfig, source: string): void {
  const known = new Set(config.chars);
  documents.forEach((document, i) => {
    const unknown = [...document].find((c) => !known.has(c));
    if (unknown !== undefined) {
      throw new CliError(
        `document ${i + 1} of ${source} ('${document.slice(0, 40)}') has '${unknown}', which the GPT's characters ('${config.chars}') do not include`,
      );
    }
  });
}

/** Prints `count` documents sampled from the GPT, one a line. */
function printSamples(
  io: Io,
  model: Gpt,
  count: number,
  temperature: number,
  random: Random,
): void {
  const sample = gptSampler(model);
  for (let i = 0; i < count; i++) io.stdout.write(`${sample(random, temperature)}\n`);
}
