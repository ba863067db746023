import { toDot, variable, type Value } from '@dendrite/autograd';
import { losses, preprocess } from '@dendrite/nn';
import { instance } from '@viz-js/viz';
import { Option, type Command } from 'commander';
import { extname } from 'node:path';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { readModel } from '../model.js';

interface GraphOptions {
  of: 'output' | 'loss';
  input?: string;
  target: number;
  format?: 'dot' | 'svg';
  output?: string;
}

/** `dendrite graph`: the computation graph of a model's output or loss, as Graphviz DOT or SVG. */
export function registerGraph(program: Command, io: Io): void {
  program
    .command('graph')
    .summary("the computation graph of a model's output or loss, as DOT or SVG")
    .description(
      "Draws the graph the engine builds for a model's output (or its loss against a target, with" +
        ' every gradient filled in by backpropagation): one box per node with its value and grad. SVG is' +
        ' rendered by Graphviz compiled to WebAssembly, so no Graphviz install is needed.',
    )
    .argument('<model>', 'a dendrite model file')
    .addOption(
      new Option('--of <what>', 'the graph of the output, or of the loss (MSE) with gradients')
        .choices(['output', 'loss'])
        .default('output'),
    )
    .option('--input <numbers>', 'the raw input to evaluate at, e.g. -2,-1 (default: zeros)')
    .option('--target <number>', 'the true value, for --of loss', parseFloat, 1)
    .addOption(
      new Option(
        '-f, --format <format>',
        'dot or svg (default: from the -o extension, else dot)',
      ).choices(['dot', 'svg']),
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite graph model.json > model.dot
  $ dendrite graph model.json --of loss --input -2,-1 --target 1 -o loss.svg`,
    )
    .action(async (modelPath: string, options: GraphOptions) => {
      const model = await readModel(modelPath, io, program);
      const raw =
        options.input === undefined
          ? Array<number>(model.rawWidth).fill(0)
          : parseInput(options.input);
      if (raw.length !== model.rawWidth) {
        throw new CliError(
          `--input has ${raw.length} numbers; ${model.path} takes ${model.rawWidth} (${model.inputNames.join(', ')})`,
          2,
        );
      }
      if (!Number.isFinite(options.target)) throw new CliError('--target must be a number', 2);
      const inputs = preprocess(raw, model.preprocessing).map((x, i) => variable(x, `x${i + 1}`));
      const outputs = model.network.forward(inputs);
      let roots: Value[] = outputs;
      if (options.of === 'loss') {
        const loss = losses.mse(outputs[0]!, options.target);
        loss.label = 'L';
        loss.backward();
        roots = [loss];
      }
      const dot = toDot(roots);
      const format =
        options.format ??
        (options.output !== undefined && extname(options.output) === '.svg' ? 'svg' : 'dot');
      const text =
        format === 'svg'
          ? (await instance()).renderString(dot, { format: 'svg', engine: 'dot' })
          : dot;
      if (options.output === undefined) io.stdout.write(text);
      else await writeAtomically(options.output, text);
    });
}

function parseInput(text: string): number[] {
  const values = text.split(',').map((cell) => Number(cell.trim()));
  if (text.trim() === '' || values.some((x) => !Number.isFinite(x))) {
    throw new CliError(`--input "${text}" is not comma-separated numbers`, 2);
  }
  return values;
}
