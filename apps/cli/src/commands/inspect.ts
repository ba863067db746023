import { formula, latex } from '@dendrite/autograd';
import type { Network } from '@dendrite/nn';
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { readModel } from '../model.js';
import { metricsLine } from '../report.js';
import { json } from '../text.js';

interface InspectOptions {
  latex?: boolean;
  formula?: boolean;
  json?: boolean;
}

/** Networks up to this many parameters get their formula printed unless `--no-formula`. */
const smallNetwork = 100;

/** `dendrite inspect`: a model's shape, activations, parameters, preprocessing and formula. */
export function registerInspect(program: Command, io: Io): void {
  program
    .command('inspect')
    .summary("a model's shape, activations, parameters, preprocessing and formula")
    .description(
      'Describes a model file: its layers and activations, how many parameters it has, what its' +
        `inputs are called and how they are preprocessed; for networks of up to ${smallNetwork} parameters, the\n` +
        'formula of every neuron (as the lecture writes h1 = σ(w1 x1 + w2 x2 + b1)) and the parameter values.',
    )
    .argument('<model>', 'a dendrite model file')
    .option('--latex', 'print the formulas as LaTeX')
    .option('--formula', 'print the formulas even for a large network')
    .option('--no-formula', 'leave the formulas out')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite inspect model.json
  $ dendrite inspect model.json --latex`,
    )
    .action(async (modelPath: string, options: InspectOptions) => {
      const model = await readModel(modelPath, io, program, 'load');
      const { network, preprocessing } = model;
      const parameters = network.parameters();
      const showFormula = options.formula ?? parameters.length <= smallNetwork;
      const equations = showFormula ? neuronFormulas(network, options.latex ?? false) : undefined;
      const summary = {
        model: model.path,
        shape: network.shape,
        activations: network.activations,
        parameters: parameters.length,
        inputs: model.inputNames,
        targets: model.targetNames,
        task: model.task,
        ...model.details,
        preprocessing,
        ...(equations === undefined
          ? {}
          : {
              formulas: equations,
              values: Object.fromEntries(parameters.map((p) => [p.label!, p.value])),
            }),
      };
      if (options.json) {
        io.stdout.write(json(summary));
        return;
      }
      const layers = network.layers
        .map((layer, l) => `${layer.neurons.length} ${network.activations[l]}`)
        .join(' → ');
      const lines = [
        `${model.path}: a ${network.shape.join('-')} network with ${parameters.length} parameters`,
        `  inputs         ${preprocessing.categories ? `${model.rawWidth}, one-hot ${network.shape[0]}` : network.shape[0]}${model.namedInputs || preprocessing.features ? ` (${(preprocessing.features ?? model.inputNames).join(', ')})` : ''}`,
        `  layers         ${layers}`,
      ];
      const { task, details } = model;
      const what =
        task.kind === 'classification'
          ? `${task.classes.length} classes: ${task.classes.join(', ')}`
          : 'regression';
      const target = model.targetNames === undefined ? '' : `${model.targetNames.join(', ')} `;
      lines.push(`  predicts       ${target}(${what})`);
      if (details.loss !== undefined) lines.push(`  loss           ${details.loss}`);
      if (details.training !== undefined) {
        const settings = Object.entries(details.training).map(([k, v]) => `${k} ${readable(v)}`);
        lines.push(`  training       ${settings.join(', ')}`);
      }
      if (details.split !== undefined) {
        const { seed, rows, testFraction, validationFraction, stratified, refit } = details.split;
        lines.push(
          `  split          ${rows} rows, seed ${seed}${stratified ? ', each class alone' : ''}: ${testFraction} held out for testing${validationFraction > 0 ? `, ${validationFraction} of the rest for validation` : ''}`,
        );
        if (refit) {
          lines.push(
            '  refit          then trained again on every row: the metrics below are from before',
          );
        }
      }
      for (const [part, metrics] of Object.entries(details.metrics ?? {})) {
        lines.push(
          `  ${`${part} metrics`.padEnd(15)}${metricsLine(metrics, details.loss ?? 'loss')}`,
        );
      }
      preprocessing.categories?.forEach((column, j) => {
        if (column !== null)
          lines.push(`  categories     ${model.inputNames[j]}: ${column.join(', ')} (one-hot)`);
      });
      if (preprocessing.features !== undefined) {
        lines.push(
          `  features       of (${model.inputNames.join(', ')}): ${preprocessing.features.join(', ')}`,
        );
      }
      if (preprocessing.imputation !== undefined) {
        lines.push(
          `  missing        filled with the training means [${preprocessing.imputation.map(short).join(', ')}]`,
        );
      }
      if (preprocessing.normalization !== undefined) {
        const { mean, scale } = preprocessing.normalization;
        lines.push(
          `  normalization  (input − mean) / scale, mean [${mean.map(short).join(', ')}], scale [${scale.map(short).join(', ')}]`,
        );
      }
      if (equations !== undefined) {
        lines.push('', 'formula (x1, x2, … are the inputs after preprocessing):');
        for (const [name, text] of Object.entries(equations)) lines.push(`  ${name} = ${text}`);
        lines.push('', 'parameters:');
        network.layers.forEach((layer) =>
          layer.neurons.forEach((neuron) =>
            lines.push(
              `  ${[...neuron.weights, neuron.bias].map((p) => `${p.label} = ${short(p.value)}`).join('  ')}`,
            ),
          ),
        );
      } else {
        lines.push(
          '',
          `(formula left out: ${parameters.length} parameters; --formula prints it anyway)`,
        );
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** Each neuron's output as a formula of its inputs, in order: h1, h2, …, then o1, … */
function neuronFormulas(network: Network, asLatex: boolean): Record<string, string> {
  const { neurons } = network.placeholderGraph();
  return Object.fromEntries(
    [...neurons].map(([name, node]) => [name, (asLatex ? latex : formula)(node)]),
  );
}

function short(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

/**
 * A recorded setting as a person reads it: a list as the flag takes it (16,8), a kind with its
 * settings in brackets (step (every 250, factor 0.5)), anything else as itself.
 */
function readable(value: unknown): string {
  if (Array.isArray(value)) return value.map(readable).join(',');
  if (value === null || typeof value !== 'object') return String(value);
  const { kind, ...rest } = value as Record<string, unknown>;
  const pairs = Object.entries(rest).map(([k, v]) => `${k} ${readable(v)}`);
  if (kind === undefined) return pairs.join(', ');
  return pairs.length === 0 ? readable(kind) : `${readable(kind)} (${pairs.join(', ')})`;
}
