// Trains in the background so the page never freezes: the same experiment as the CLI replay
// (playgroundPlan), stepped one epoch at a time by the page.
import {
  compile,
  grad,
  latex,
  simplify,
  variable,
  type Compiled,
  type Value,
} from '@dendrite/autograd';
import {
  classRegions,
  decisionBoundary,
  meanLoss,
  preprocess,
  prepareExperiment,
  thumbnailPoint,
  trainer,
  viewDomain,
  type Domain,
  type EpochReport,
  type Experiment,
  type Loss,
  type Network,
  type Trainer,
} from '@dendrite/nn';
import { plan } from './plan.js';
import type { Request, Response, Setup, Snapshot } from './protocol.js';

let current:
  | {
      setup: Setup;
      experiment: Experiment;
      loss: Loss;
      domain: Domain;
      run: Trainer;
      neurons: ReadonlyMap<string, Value>;
      /** Every neuron's output at once, compiled, for the thumbnails. */
      allNeurons: Compiled;
      /** What the names in a softmax output's formula stand for (z1, …, m, S), as LaTeX. */
      where: string[];
    }
  | undefined;

const post = (message: Response) => (self as unknown as Worker).postMessage(message);

self.onmessage = ({ data }: MessageEvent<Request>) => {
  try {
    if (data.type === 'setup') setUp(data.setup);
    else if (current === undefined) throw new Error('no experiment yet');
    else if (data.type === 'step') {
      let report;
      for (let i = 0; i < data.epochs; i++) report = current.run.epoch();
      post({ type: 'snapshot', snapshot: snapshot(report) });
    } else if (data.type === 'learningRate') current.run.learningRate = data.value;
    else if (data.type === 'setWeight') {
      setWeight(data.label, data.value);
      post({ type: 'edited', snapshot: snapshot() });
    } else if (data.type === 'formula') post(formulaOf(data.node, data.weight));
    else post(exported());
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
};

function setUp(setup: Setup): void {
  // The page's experiment, on the user's points when there are some (shuffled and split the same way).
  const experiment = prepareExperiment(plan(setup));
  const { network, train, trainOptions, points } = experiment;
  const run = trainer(network, train, trainOptions);
  const graph = network.placeholderGraph();
  const { inputs, neurons } = graph;
  const where = nameSoftmaxParts(graph);
  const allNeurons = compile([...neurons.values()], { inputs, parameters: network.parameters() });
  const loss = trainOptions.loss ?? 'halfSquaredError';
  const domain = viewDomain([...points.train, ...points.test]);
  current = { setup, experiment, loss, domain, run, neurons, allNeurons, where };
  post({ type: 'ready', snapshot: snapshot(), points });
}

/** Sets one parameter by its label, as the next step will see it (the Playground's link editor). */
function setWeight(label: string, value: number): void {
  const { experiment, run } = current!;
  const index = experiment.network.parameters().findIndex((p) => p.label === label);
  if (index < 0 || !Number.isFinite(value)) throw new Error(`cannot set ${label} to ${value}`);
  const values = run.parameterValues();
  values[index] = value;
  run.setParameterValues(values);
}

/** What the page draws; the losses come from the epoch's report when there is one. */
function snapshot(report?: EpochReport): Snapshot {
  const { experiment, run, neurons, setup, allNeurons, loss, domain } = current!;
  const { network, train, test } = experiment;
  const { features } = setup.settings;
  // Every neuron at once, through one compiled function, for the 10 × 10 thumbnails.
  const labels = [...neurons.keys()];
  allNeurons.syncFromValues();
  const thumbnails = Object.fromEntries(labels.map((label) => [label, new Float64Array(100)]));
  for (let row = 0; row < 10; row++) {
    for (let column = 0; column < 10; column++) {
      const values = allNeurons(
        preprocess(thumbnailPoint(row, column, 10, domain), experiment.preprocessing),
      );
      labels.forEach((label, i) => (thumbnails[label]![row * 10 + column] = values[i]!));
    }
  }
  const { normalization } = experiment.preprocessing;
  const grid = { domain, ...(normalization === undefined ? {} : { normalization }) };
  const regions = network.outputSize > 1 ? classRegions(network, features, grid) : undefined;
  return {
    epoch: run.epochs,
    trainLoss: report?.trainLoss ?? meanLoss(network, train, loss),
    testLoss: report?.testLoss ?? (test.length > 0 ? meanLoss(network, test, loss) : NaN),
    domain,
    output: regions?.probability ?? decisionBoundary(network, features, grid),
    ...(regions === undefined ? {} : { regions: regions.index }),
    thumbnails,
    parameters: Object.fromEntries(network.parameters().map((p) => [p.label!, p.value])),
    shape: [...network.shape],
  };
}

/** The model file, and the network's prediction at one point for the page to compare with the server's. */
function exported(): Response {
  const { experiment, setup } = current!;
  const { network, points } = experiment;
  const point = points.test[0] ?? points.train[0]!;
  const [x, y, label] = setup.columns ?? ['x', 'y', 'label'];
  const { classes } = setup;
  return {
    type: 'model',
    text: experiment.modelFile(
      { inputs: [x, y], targets: [label] },
      classes === undefined ? {} : { task: { kind: 'classification', classes } },
    ),
    sample: {
      input: [...point.input],
      output: network.predict(preprocess(point.input, experiment.preprocessing))[0]!,
    },
  };
}

/**
 * Names the parts of a softmax output layer, oᵢ = exp(zᵢ − m) / S: its logits z1, …, their
 * largest m and the sum S, so that its formulas print in those names instead of one line of
 * nested sums; the LaTeX of what each name stands for. None for other networks.
 */
function nameSoftmaxParts({ outputs, logits }: ReturnType<Network['placeholderGraph']>): string[] {
  if (outputs[0] === logits[0]) return [];
  const [shifted, sum] = outputs[0]!.inputs; // exp(z1 − m), S
  const [, minusLargest] = shifted!.inputs[0]!.inputs; // z1 + (−m)
  const parts = [...logits, minusLargest!.inputs[0]!, sum!];
  const names = [...logits.map((_, i) => `z${i + 1}`), 'm', 'S'];
  parts.forEach((part, i) => (part.label = names[i]));
  const options = { maxLength: 4000 };
  return parts.map((part) => `${latex(variable(0, part.label))} = ${latex(part, options)}`);
}

function formulaOf(node: string, weight: string): Response {
  const { experiment, neurons, where } = current!;
  const { network } = experiment;
  const value = neurons.get(node);
  const parameter = network.parameters().find((p) => p.label === weight);
  if (value === undefined || parameter === undefined)
    throw new Error(`no ${node} or ${weight} in this network`);
  const options = { maxLength: 4000 };
  const derivative = simplify(grad(value, parameter));
  return {
    type: 'formula',
    node,
    formula: latex(value, options),
    weight,
    gradient: latex(derivative, options),
    where: node.startsWith('o') ? where : [],
  };
}
