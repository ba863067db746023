import { grad, onnxOpset, variable } from '@dendrite/autograd';
import { exampleLoss, NeuralNetworkError } from '@dendrite/nn';
import { Option, type Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { CliError } from '../errors.js';
import { writeAtomically, type Io } from '../io.js';
import { readModel, type Model } from '../model.js';
import { json } from '../text.js';

interface ExportOptions {
  format: 'onnx';
  output?: string;
  float32?: boolean;
  triton?: string;
  name?: string;
  graph?: boolean;
  of: 'output' | 'loss';
  json?: boolean;
}

/** Model names Triton and KServe accept as directory names. */
const modelName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** `dendrite export`: a model as ONNX, for ONNX Runtime, Triton and KServe; or its graphs. */
export function registerExport(program: Command, io: Io): void {
  program
    .command('export')
    .summary('a model as ONNX (for ONNX Runtime, Triton, KServe), or its output or loss graph')
    .description(
      'Writes a model as an ONNX file that takes the same raw inputs as `dendrite predict` (its' +
        ' features and normalisation inside the graph) and gives the same outputs: input "input"' +
        ' [batch, inputs], output "output" [batch, outputs] and, for a classifier, "class" [batch],' +
        ` the class names. Doubles unless --float32; ONNX opset ${onnxOpset}. --triton writes a Triton` +
        ' model repository entry. --graph exports the graph the engine builds instead, op by op: the' +
        ' outputs, or (--of loss) the loss and its symbolic gradient for every parameter, over the' +
        ' inputs after preprocessing (x1, x2, …) and the targets (y or y1, y2, …).',
    )
    .argument('<model>', 'a dendrite model file')
    .addOption(
      new Option('--format <format>', 'the format to write').choices(['onnx']).default('onnx'),
    )
    .option('-o, --output <file>', 'where to write it (default: the model file with .onnx)')
    .option('--float32', 'write 32-bit floats instead of doubles')
    .option(
      '--triton <dir>',
      'write DIR/<name>/1/model.onnx and DIR/<name>/config.pbtxt for Triton',
    )
    .option('--name <name>', 'the model name for --triton (default: the model file name)')
    .option('--graph', "export the engine's graph, op by op, instead of the model")
    .addOption(
      new Option('--of <what>', 'with --graph: the outputs, or the loss and its gradients')
        .choices(['output', 'loss'])
        .default('output'),
    )
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite export iris.json                        writes iris.onnx
  $ dendrite export iris.json --triton models        models/iris/1/model.onnx + config.pbtxt
  $ dendrite export model.json --graph --of loss -o loss.onnx`,
    )
    .action(async (modelPath: string, options: ExportOptions) => {
      const model = await readModel(modelPath, io, program, 'load');
      // (the ONNX writers load only here: they bring protobuf, a fifth of the CLI's start)
      const bytes = options.graph
        ? await graphBytes(model, options)
        : await modelBytes(model, options);
      const written: string[] = [];
      if (options.triton !== undefined) {
        if (options.graph) throw new CliError('--triton writes a model, not --graph', 2);
        const name = options.name ?? basename(modelPath, extname(modelPath));
        if (!modelName.test(name)) {
          throw new CliError(
            `"${name}" is not a Triton model name (letters, digits, _ . -); give --name`,
            2,
          );
        }
        await mkdir(join(options.triton, name, '1'), { recursive: true });
        const [onnxPath, configPath] = [
          join(options.triton, name, '1', 'model.onnx'),
          join(options.triton, name, 'config.pbtxt'),
        ];
        await writeAtomically(onnxPath, bytes);
        await writeAtomically(configPath, tritonConfig(name, model, options.float32 === true));
        written.push(onnxPath, configPath);
      }
      if (options.output !== undefined || options.triton === undefined) {
        const path =
          options.output ??
          join(
            modelPath.slice(0, modelPath.length - extname(modelPath).length) +
              (options.graph ? `.${options.of}.onnx` : '.onnx'),
          );
        await writeAtomically(path, bytes);
        written.push(path);
      }
      if (options.json)
        io.stdout.write(
          json({ model: model.path, opset: onnxOpset, float32: options.float32 === true, written }),
        );
      else io.stdout.write(`${written.map((path) => `wrote ${path}`).join('\n')}\n`);
    });
}

/** The model as ONNX bytes; what the exporter refuses is said with the model's path. */
async function modelBytes(model: Model, options: ExportOptions): Promise<Uint8Array> {
  const { modelToOnnx } = await import('@dendrite/nn/onnx');
  try {
    return modelToOnnx(model.source, { float32: options.float32 === true });
  } catch (error) {
    if (error instanceof NeuralNetworkError) throw new CliError(`${model.path}: ${error.message}`);
    throw error;
  }
}

/** The network's outputs, or its loss and gradients, as a graph over its inputs (and targets). */
async function graphBytes(model: Model, options: ExportOptions): Promise<Uint8Array> {
  const { graphToOnnx } = await import('@dendrite/autograd/onnx');
  const { network } = model;
  const graph = network.placeholderGraph();
  const float32 = options.float32 === true;
  if (options.of === 'output') {
    return graphToOnnx(graph.outputs, {
      inputs: graph.inputs,
      names: graph.outputs.map((o) => o.label!),
      float32,
    });
  }
  const count = network.outputSize;
  const targets = Array.from({ length: count }, (_, i) =>
    variable(0, count === 1 ? 'y' : `y${i + 1}`),
  );
  const loss = exampleLoss(model.details.loss ?? 'mse', graph, targets);
  const parameters = network.parameters();
  const gradients = grad(loss, parameters);
  return graphToOnnx([loss, ...gradients], {
    inputs: [...graph.inputs, ...targets],
    names: ['L', ...parameters.map((p) => `dL_d${p.label!}`)],
    float32,
  });
}

/** Triton's configuration of the exported model: its inputs and outputs, batch as the first dimension. */
function tritonConfig(name: string, model: Model, float32: boolean): string {
  const type = float32 ? 'TYPE_FP32' : 'TYPE_FP64';
  const outputs = [
    `  { name: "output", data_type: ${type}, dims: [ -1, ${model.network.outputSize} ] }`,
  ];
  if (model.task.kind === 'classification')
    outputs.push('  { name: "class", data_type: TYPE_STRING, dims: [ -1 ] }');
  // The number columns as `input`; each column of categories as a string input of its own.
  const categories = model.preprocessing.categories ?? Array<null>(model.rawWidth).fill(null);
  const numbers = categories.filter((column) => column === null).length;
  const inputs = [
    ...(numbers > 0 ? [`  { name: "input", data_type: ${type}, dims: [ -1, ${numbers} ] }`] : []),
    ...categories.flatMap((column, j) =>
      column === null
        ? []
        : [
            `  { name: ${JSON.stringify(model.inputNames[j])}, data_type: TYPE_STRING, dims: [ -1 ] }`,
          ],
    ),
  ];
  return [
    `name: "${name}"`,
    'backend: "onnxruntime"',
    'max_batch_size: 0',
    'input [',
    inputs.join(',\n'),
    ']',
    'output [',
    outputs.join(',\n'),
    ']',
    '',
  ].join('\n');
}
