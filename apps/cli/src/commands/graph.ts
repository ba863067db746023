import { evaluate, toDot, type Value } from '@dendrite/autograd';
import { encodeClass, exampleLoss, normalize, targetsOf } from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { extname } from 'node:path';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { prepared, readModel, type Model } from '../model.js';

interface GraphOptions {
  of: 'output' | 'loss';
  input?: string;
  target?: string;
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
      new Option('--of <what>', "the graph of the output, or of the model's loss with gradients")
        .choices(['output', 'loss'])
        .default('output'),
    )
    .option('--input <numbers>', 'the raw input to evaluate at, e.g. -2,-1 (default: zeros)')
    .option(
      '--target <value>',
      "the true class (a class name) or value, for --of loss (default: a classifier's last class, else 1)",
    )
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
  $ dendrite graph model.json --of loss --input -2,-1 --target 1 -o loss.svg
  $ dendrite graph iris.json --of loss --input 5.1,3.5,1.4,0.2 --target setosa -o loss.svg`,
    )
    .action(async (modelPath: string, options: GraphOptions) => {
      const model = await readModel(modelPath, io, program);
      const { categories } = model.preprocessing;
      const raw =
        options.input === undefined
          ? (categories?.map((column) => column?.[0] ?? 0) ?? Array<number>(model.rawWidth).fill(0))
          : parseInput(options.input, categories !== undefined);
      if (raw.length !== model.rawWidth) {
        throw new CliError(
          `--input has ${raw.length} numbers; ${model.path} takes ${model.rawWidth} (${model.inputNames.join(', ')})`,
          2,
        );
      }
      // The network's own graph over its inputs x1, x2, …, evaluated at this input.
      const graph = model.network.placeholderGraph();
      prepared(model, raw, '--input').forEach((x, i) => (graph.inputs[i]!.value = x));
      let roots: Value[] = graph.outputs;
      evaluate(roots);
      if (options.of === 'loss') {
        const name = model.details.loss ?? 'mse';
        const loss = exampleLoss(name, graph, targetOf(model, options.target));
        loss.label = 'L';
        evaluate(loss);
        loss.backward();
        roots = [loss];
      }
      const dot = toDot(roots);
      const format =
        options.format ??
        (options.output !== undefined && extname(options.output) === '.svg' ? 'svg' : 'dot');
      const text =
        format === 'svg'
          ? (await (await import('@viz-js/viz')).instance()).renderString(dot, {
              format: 'svg',
              engine: 'dot',
            })
          : dot;
      if (options.output === undefined) io.stdout.write(text);
      else {
        await writeAtomically(options.output, text);
        io.stdout.write(`wrote ${options.output}\n`);
      }
    });
}

/** The target as the network learned it: a class's encoding, or a number (scaled as in training). */
function targetOf(model: Model, given: string | undefined): number[] {
  const { task, network, preprocessing } = model;
  if (task.kind === 'classification') {
    const label = given ?? task.classes.at(-1)!;
    const index = task.classes.indexOf(label);
    if (index < 0) {
      throw new CliError(
        `--target "${label}" is not one of ${model.path}'s classes: ${task.classes.join(', ')}`,
        2,
      );
    }
    const target = encodeClass(index, network.outputSize, network.activations.at(-1)!);
    return [...targetsOf({ input: [], target })];
  }
  const values = (given ?? '1').split(',').map(Number);
  if (values.length !== network.outputSize || !values.every(Number.isFinite)) {
    throw new CliError(`--target must be ${network.outputSize} number(s), got "${given}"`, 2);
  }
  return preprocessing.targets ? normalize(values, preprocessing.targets) : values;
}

function parseInput(text: string, categorical: boolean): (number | string)[] {
  const cells = text.split(',').map((cell) => cell.trim());
  if (categorical) return cells; // (checked as they are encoded)
  const values = cells.map(Number);
  if (text.trim() === '' || values.some((x) => !Number.isFinite(x))) {
    throw new CliError(`--input "${text}" is not comma-separated numbers`, 2);
  }
  return values;
}
