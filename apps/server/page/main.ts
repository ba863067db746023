// The Playground page: controls and drawing on the main thread; training in a Web Worker.
import katex from 'katex';
import { parse } from 'csv-parse/browser/esm/sync';
import {
  boundaryColor,
  features as allFeatures,
  iterationLabel,
  parsePlaygroundUrl,
  thumbnailPoint,
  toFeatures,
  toPlaygroundHash,
  type Example,
  type Feature,
  type PlaygroundSettings,
} from '@dendrite/nn';
import './style.css';
import 'katex/dist/katex.min.css';
import type { Request, Response, Snapshot } from './protocol.js';

type Settings = PlaygroundSettings & { seed: string };

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => element<HTMLInputElement>(id);
const select = (id: string) => element<HTMLSelectElement>(id);
const say = (message: string) => (element('status').textContent = message);

const featureNames: Record<Feature, string> = {
  x: 'x₁',
  y: 'x₂',
  xSquared: 'x₁²',
  ySquared: 'x₂²',
  xTimesY: 'x₁x₂',
  sinX: 'sin(x₁)',
  sinY: 'sin(x₂)',
};

const settings = readHash();
let userPoints: { name: string; points: Example[] } | undefined;
let points: { train: Example[]; test: Example[] } = { train: [], test: [] };
let last: Snapshot | undefined;
let losses = { train: [] as number[], test: [] as number[] };
let playing = false;
/** A request to the worker is under way; steps asked for meanwhile wait in `queued`. */
let busy = false;
let queued = 0;
let afterExport:
  ((text: string, sample: { input: number[]; output: number }) => void | Promise<void>) | undefined;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const ask = (request: Request) => worker.postMessage(request);

/** The settings in the URL's hash, with the page's defaults (and a fresh seed if it has none). */
function readHash(): Settings {
  let parsed: PlaygroundSettings;
  try {
    parsed = parsePlaygroundUrl(location.hash);
  } catch (error) {
    say(`${(error as Error).message}; using the defaults instead`);
    parsed = parsePlaygroundUrl('');
  }
  return { ...parsed, seed: parsed.seed ?? Math.random().toFixed(5) };
}

function writeHash(): void {
  history.replaceState(null, '', `#${toPlaygroundHash(settings)}`);
}

/** Starts over with the current settings: new data if it changed, new starting weights. */
function reset(): void {
  writeHash();
  losses = { train: [], test: [] };
  queued = 0;
  busy = true;
  ask({
    type: 'setup',
    setup: { settings, ...(userPoints === undefined ? {} : { points: userPoints.points }) },
  });
}

/** One more epoch, once the worker is free. */
function step(): void {
  queued++;
  pump();
}

/** Sends the next epoch to the worker if it is free and one is wanted (queued, or playing). */
function pump(): void {
  if (busy || (queued === 0 && !playing)) return;
  queued = Math.max(0, queued - 1);
  busy = true;
  ask({ type: 'step', epochs: 1 });
}

worker.onmessage = ({ data }: MessageEvent<Response>) => {
  if (data.type === 'error') {
    busy = false;
    setPlaying(false);
    say(data.message);
    return;
  }
  if (data.type === 'ready') {
    points = data.points;
    drawNetwork(data.snapshot);
    fillFormulaChoices(data.snapshot);
  }
  if (data.type === 'ready' || data.type === 'snapshot') {
    busy = false;
    show(data.snapshot);
    if (playing) requestAnimationFrame(pump);
    else pump();
  } else if (data.type === 'formula') {
    const name = (label: string) => label.replace(/^([a-z])(\d+)$/, '$1_{$2}');
    katex.render(`${name(data.node)} = ${data.formula}`, element('formula'), math);
    katex.render(
      `\\frac{\\partial ${name(data.node)}}{\\partial ${name(data.weight)}} = ${data.gradient}`,
      element('gradient'),
      math,
    );
  } else if (data.type === 'model') {
    void afterExport?.(data.text, data.sample);
    afterExport = undefined;
  }
};
const math = { throwOnError: false, displayMode: true };

// --- Drawing

function show(snapshot: Snapshot): void {
  last = snapshot;
  element('epoch').textContent = iterationLabel(snapshot.epoch);
  element('train-loss').textContent = snapshot.trainLoss.toFixed(3);
  element('test-loss').textContent = Number.isNaN(snapshot.testLoss)
    ? '–'
    : snapshot.testLoss.toFixed(3);
  element('heatmap').setAttribute(
    'aria-label',
    `Decision boundary after epoch ${snapshot.epoch}: orange is -1, blue is +1`,
  );
  losses.train.push(snapshot.trainLoss);
  losses.test.push(snapshot.testLoss);
  drawHeatmap();
  drawChart();
  updateNetwork(snapshot);
}

function drawHeatmap(): void {
  if (last === undefined) return;
  const canvas = element<HTMLCanvasElement>('heatmap');
  const context = canvas.getContext('2d')!;
  const grid = document.createElement('canvas');
  grid.width = grid.height = 100;
  paint(grid, last.output, input('discretize').checked);
  context.imageSmoothingEnabled = true;
  context.drawImage(grid, 0, 0, canvas.width, canvas.height);
  const dot = ({ input: [x, y], target }: Example, ring: string) => {
    const [r, g, b] = boundaryColor(target);
    context.beginPath();
    context.arc(((x! + 6) / 12) * canvas.width, ((6 - y!) / 12) * canvas.height, 4, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    context.fill();
    context.strokeStyle = ring;
    context.stroke();
  };
  for (const point of points.train) dot(point, 'white');
  if (input('show-test').checked) for (const point of points.test) dot(point, 'black');
}

/** Fills a canvas of `size` × `size` pixels with the colours of a grid of outputs. */
function paint(canvas: HTMLCanvasElement, grid: Float64Array, discretize = false): void {
  const image = new ImageData(canvas.width, canvas.height);
  grid.forEach((value, i) => {
    image.data.set([...boundaryColor(value, discretize), 255], i * 4);
  });
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}

function drawChart(): void {
  const canvas = element<HTMLCanvasElement>('chart');
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const all = [...losses.train, ...losses.test].filter(Number.isFinite);
  if (all.length < 2) return;
  const top = Math.max(...all);
  const line = (values: number[], colour: string) => {
    context.beginPath();
    values.forEach((v, i) => {
      const x = (i / Math.max(1, values.length - 1)) * canvas.width;
      const y = canvas.height - (v / top) * (canvas.height - 4);
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.stroke();
  };
  line(losses.train, '#777');
  line(losses.test, 'black');
}

// --- The network: columns of neurons, links coloured and sized by weight

const nodeSize = 36;
let layout: {
  links: { label: string; line: SVGLineElement }[];
  thumbnails: Map<string, HTMLCanvasElement>;
} = {
  links: [],
  thumbnails: new Map(),
};

function drawNetwork(snapshot: Snapshot): void {
  const container = element('network');
  container.replaceChildren();
  const { shape } = snapshot;
  const width = Math.max(320, container.clientWidth || 600);
  const height = 40 + Math.max(...shape) * 50;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  container.style.height = `${height}px`;
  container.append(svg);
  const at = (layer: number, index: number) => ({
    x: 10 + (layer * (width - nodeSize - 20)) / (shape.length - 1),
    y: 30 + index * 50,
  });
  layout = { links: [], thumbnails: new Map() };
  let weights = 0;
  let hidden = 0;
  shape.forEach((size, layer) => {
    for (let i = 0; i < size; i++) {
      const { x, y } = at(layer, i);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 10;
      canvas.style.left = `${x}px`;
      canvas.style.top = `${y}px`;
      const label =
        layer === 0
          ? settings.features[i]!
          : layer === shape.length - 1
            ? `o${i + 1}`
            : `h${++hidden}`;
      canvas.title = layer === 0 ? featureNames[label as Feature] : label;
      container.append(canvas);
      if (layer === 0) paintFeature(canvas, label as Feature);
      else layout.thumbnails.set(label, canvas);
      if (layer === 0) continue;
      for (let j = 0; j < shape[layer - 1]!; j++) {
        const from = at(layer - 1, j);
        const line = document.createElementNS(svgNs, 'line');
        line.setAttribute('x1', String(from.x + nodeSize));
        line.setAttribute('y1', String(from.y + nodeSize / 2));
        line.setAttribute('x2', String(x));
        line.setAttribute('y2', String(y + nodeSize / 2));
        const weight = `w${++weights}`;
        line.append(
          Object.assign(document.createElementNS(svgNs, 'title'), { textContent: weight }),
        );
        svg.append(line);
        layout.links.push({ label: weight, line });
      }
    }
    // Buttons to add or remove a neuron of each hidden layer.
    if (layer > 0 && layer < shape.length - 1) {
      const buttons = document.createElement('div');
      buttons.className = 'layer-size';
      buttons.style.left = `${at(layer, 0).x - 8}px`;
      buttons.style.top = '0px';
      for (const [text, change] of [
        ['+', 1],
        ['−', -1],
      ] as const) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = text;
        button.setAttribute(
          'aria-label',
          `${change > 0 ? 'Add a neuron to' : 'Remove a neuron from'} hidden layer ${layer}`,
        );
        button.onclick = () => {
          const size = settings.networkShape[layer - 1]! + change;
          if (size < 1 || size > 8) return;
          settings.networkShape[layer - 1] = size;
          reset();
        };
        buttons.append(button);
      }
      container.append(buttons);
    }
  });
  element('layer-count').textContent =
    `${settings.networkShape.length} hidden layer${settings.networkShape.length === 1 ? '' : 's'}`;
}

function paintFeature(canvas: HTMLCanvasElement, feature: Feature): void {
  const grid = new Float64Array(100);
  for (let row = 0; row < 10; row++) {
    for (let column = 0; column < 10; column++) {
      grid[row * 10 + column] = toFeatures(thumbnailPoint(row, column), [feature])[0]!;
    }
  }
  paint(canvas, grid);
}

function updateNetwork(snapshot: Snapshot): void {
  for (const { label, line } of layout.links) {
    const weight = snapshot.parameters[label] ?? 0;
    const [r, g, b] = boundaryColor(weight);
    line.setAttribute('stroke', `rgb(${r}, ${g}, ${b})`);
    line.setAttribute('stroke-width', String(Math.min(10, 1 + 1.8 * Math.abs(weight))));
  }
  for (const [label, canvas] of layout.thumbnails) {
    const grid = snapshot.thumbnails[label];
    if (grid !== undefined) paint(canvas, grid, input('discretize').checked);
  }
}

// --- The formula panel

function fillFormulaChoices(snapshot: Snapshot): void {
  const fill = (id: string, labels: string[], keep: string) => {
    const list = select(id);
    list.replaceChildren(...labels.map((label) => new Option(label, label)));
    list.value = labels.includes(keep) ? keep : labels.at(-1)!;
  };
  fill('formula-node', Object.keys(snapshot.thumbnails), 'o1');
  fill('formula-weight', Object.keys(snapshot.parameters), 'w1');
  requestFormula();
}

function requestFormula(): void {
  ask({
    type: 'formula',
    node: select('formula-node').value,
    weight: select('formula-weight').value,
  });
}

// --- Controls

function setPlaying(on: boolean): void {
  playing = on;
  const button = element('play');
  button.textContent = on ? 'Pause' : 'Play';
  button.setAttribute('aria-pressed', String(on));
  pump();
}

function syncControls(): void {
  const regression = settings.problem === 'regression';
  select('dataset').value = userPoints
    ? 'csv'
    : regression
      ? settings.regDataset
      : settings.dataset;
  select('activation').value = settings.activation;
  choose('learning-rate', settings.learningRate);
  select('regularization').value = settings.regularization;
  choose('regularization-rate', settings.regularizationRate);
  for (const [id, value] of [
    ['ratio', settings.percTrainData],
    ['noise', settings.noise],
    ['batch', settings.batchSize],
  ] as const) {
    input(id).value = String(value);
    element(`${id}-value`).textContent = String(value);
  }
  input('show-test').checked = settings.showTestData;
  input('discretize').checked = settings.discretize;
  for (const box of element('features').querySelectorAll('input')) {
    box.checked = settings.features.includes(box.value as Feature);
  }
}

/** Selects a number in a list, adding it first if a URL brought one the list lacks. */
function choose(id: string, value: number): void {
  const list = select(id);
  if (![...list.options].some((option) => option.value === String(value))) {
    list.append(new Option(String(value)));
  }
  list.value = String(value);
}

/** Binds a control: `apply` changes the settings; most changes start over, as on the Playground. */
function on(id: string, event: string, apply: (value: string) => void, restart = true): void {
  element(id).addEventListener(event, (e) => {
    apply((e.target as HTMLInputElement).value);
    syncControls();
    if (restart) reset();
    else writeHash();
  });
}

for (const name of Object.keys(allFeatures) as Feature[]) {
  const label = document.createElement('label');
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: name });
  label.append(box, ` ${featureNames[name]}`);
  element('features').append(label);
  box.addEventListener('change', () => {
    const chosen = new Set(settings.features);
    if (box.checked) chosen.add(name);
    else chosen.delete(name);
    if (chosen.size === 0) {
      box.checked = true;
      say('keep at least one input feature');
      return;
    }
    settings.features = (Object.keys(allFeatures) as Feature[]).filter((f) => chosen.has(f));
    reset();
  });
}

on('dataset', 'change', (value) => {
  if (value === 'csv') return;
  userPoints = undefined;
  element('data-note').textContent = '';
  select('dataset').querySelector('option[value="csv"]')?.remove();
  if (value.startsWith('reg-')) {
    settings.problem = 'regression';
    settings.regDataset = value as Settings['regDataset'];
  } else {
    settings.problem = 'classification';
    settings.dataset = value as Settings['dataset'];
  }
});
on('regenerate', 'click', () => (settings.seed = Math.random().toFixed(5)));
on('ratio', 'input', (value) => (settings.percTrainData = Number(value)));
on('noise', 'input', (value) => (settings.noise = Number(value)));
on('batch', 'input', (value) => (settings.batchSize = Number(value)));
on('activation', 'change', (value) => (settings.activation = value as Settings['activation']));
on(
  'regularization',
  'change',
  (value) => (settings.regularization = value as Settings['regularization']),
);
on('regularization-rate', 'change', (value) => (settings.regularizationRate = Number(value)));
// These change the next updates or the picture, not the experiment. A new learning rate applies
// from the next update on, to the same run, as on the Playground.
on(
  'learning-rate',
  'change',
  (value) => {
    settings.learningRate = Number(value);
    ask({ type: 'learningRate', value: settings.learningRate });
  },
  false,
);
for (const [id, key] of [
  ['show-test', 'showTestData'],
  ['discretize', 'discretize'],
] as const) {
  on(
    id,
    'change',
    () => {
      settings[key] = input(id).checked;
      if (last === undefined) return;
      drawHeatmap();
      updateNetwork(last);
    },
    false,
  );
}
element('add-layer').addEventListener('click', () => {
  if (settings.networkShape.length >= 6) return;
  settings.networkShape.push(2);
  reset();
});
element('remove-layer').addEventListener('click', () => {
  if (settings.networkShape.length === 0) return;
  settings.networkShape.pop();
  reset();
});
element('play').addEventListener('click', () => setPlaying(!playing));
element('step').addEventListener('click', () => {
  setPlaying(false);
  step();
});
element('reset').addEventListener('click', () => {
  setPlaying(false);
  reset();
});
element('formula-node').addEventListener('change', requestFormula);
element('formula-weight').addEventListener('change', requestFormula);

element('csv').addEventListener('change', () => void loadCsv());

/** Reads the chosen CSV file's points and restarts on them. */
async function loadCsv(): Promise<void> {
  const file = input('csv').files?.[0];
  if (file === undefined) return;
  try {
    userPoints = { name: file.name, points: readPoints(await file.text(), file.name) };
  } catch (error) {
    say((error as Error).message);
    return;
  }
  const labels = new Set(userPoints.points.map((p) => p.target));
  settings.problem = [...labels].every((t) => t === -1 || t === 1)
    ? 'classification'
    : 'regression';
  if (!select('dataset').querySelector('option[value="csv"]')) {
    select('dataset').append(new Option(`Your CSV (${file.name})`, 'csv'));
  }
  element('data-note').textContent = `${userPoints.points.length} points from ${file.name}`;
  say('');
  syncControls();
  reset();
}

/** Points from CSV text with a header row: the first two columns are x and y, the third the label (0/1 labels become -1/1). */
function readPoints(text: string, source: string): Example[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`, { cause: error });
  }
  if (rows.length < 3) throw new Error(`${source} needs a header row and at least two points`);
  const points = rows.slice(1).map((row, i) => {
    const numbers = row.slice(0, 3).map(Number);
    if (row.length < 3 || !numbers.every(Number.isFinite)) {
      throw new Error(
        `${source} row ${i + 2}: expected three numbers (x, y, label), got ${row.join(', ')}`,
      );
    }
    return { input: [numbers[0]!, numbers[1]!], target: numbers[2]! };
  });
  if (points.every((p) => p.target === 0 || p.target === 1)) {
    for (const p of points) p.target = p.target === 1 ? 1 : -1;
  }
  return points;
}

// --- Export

element('download').addEventListener('click', () => {
  afterExport = (text) => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = 'playground-model.json';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  ask({ type: 'export' });
});

element('send').addEventListener('click', () => {
  const result = element('server-result');
  result.textContent = 'sending…';
  afterExport = async (text, sample) => {
    try {
      const put = await fetch('/v2/models/playground', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      if (!put.ok) throw new Error(((await put.json()) as { error: string }).error);
      const infer = await fetch('/v2/models/playground/infer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: sample.input }],
        }),
      });
      const answer = (await infer.json()) as { outputs?: { data: number[] }[]; error?: string };
      if (!infer.ok) throw new Error(answer.error);
      const [x, y] = sample.input.map((v) => v.toFixed(2));
      result.textContent =
        `The server now serves model "playground". At (${x}, ${y}) it predicts ` +
        `${answer.outputs![0]!.data[0]}; this page: ${sample.output}.`;
    } catch (error) {
      result.textContent = `The server did not take the model: ${(error as Error).message}`;
    }
  };
  ask({ type: 'export' });
});

syncControls();
reset();
