// Drawing: the heat map with its points, the loss chart and the network with its thumbnails.
import {
  axisTicks,
  boundaryColor,
  classColor,
  iterationLabel,
  targetsOf,
  thumbnailPoint,
  toFeatures,
  type Domain,
  type Example,
  type Feature,
} from '@dendrite/nn';
import { element, input } from './dom.js';
import type { Snapshot } from './protocol.js';
import { reset, state } from './state.js';

/** How the page names each input feature. */
export const featureNames: Record<Feature, string> = {
  x: 'x₁',
  y: 'x₂',
  xSquared: 'x₁²',
  ySquared: 'x₂²',
  xTimesY: 'x₁x₂',
  sinX: 'sin(x₁)',
  sinY: 'sin(x₂)',
};

/**
 * Shows a snapshot: the counter, the losses, the heat map, the chart and the network; `record`
 * false (a weight edited by hand) shows it without adding a point to the loss chart.
 */
export function show(snapshot: Snapshot, record = true): void {
  state.last = snapshot;
  element('epoch').textContent = iterationLabel(snapshot.epoch);
  element('train-loss').textContent = snapshot.trainLoss.toFixed(3);
  element('test-loss').textContent = Number.isNaN(snapshot.testLoss)
    ? '–'
    : snapshot.testLoss.toFixed(3);
  const classes = state.userPoints?.classes;
  // The −1…+1 colour scale is for one output; classes have their legend beside the data.
  element('scale').hidden = snapshot.regions !== undefined;
  element('heatmap').setAttribute(
    'aria-label',
    `Decision boundary after epoch ${snapshot.epoch}: ${
      snapshot.regions === undefined
        ? 'orange is -1, blue is +1'
        : `a colour per class (${classes?.join(', ') ?? ''})`
    }`,
  );
  if (record) {
    state.losses.train.push(snapshot.trainLoss);
    state.losses.test.push(snapshot.testLoss);
  }
  drawHeatmap();
  drawChart();
  updateNetwork(snapshot);
}

/** The decision boundary with the points (the test points too, if shown). */
export function drawHeatmap(): void {
  if (state.last === undefined) return;
  const canvas = element<HTMLCanvasElement>('heatmap');
  const context = canvas.getContext('2d')!;
  const { output, regions, domain } = state.last;
  const grid = document.createElement('canvas');
  grid.width = grid.height = 100;
  // As the Playground draws it: the colours at alpha 160 over white, so points show through.
  if (regions === undefined) paint(grid, output, input('discretize').checked, heatmapAlpha);
  else paintRegions(grid, regions, output, input('discretize').checked);
  context.fillStyle = 'white';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = true;
  context.drawImage(grid, 0, 0, canvas.width, canvas.height);
  drawAxes(domain);
  // Points are placed in the picture's domain: the data's own box when it is not [-6, 6]².
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  const dot = (point: Example, ring: string) => {
    const [x, y] = point.input;
    const target = targetsOf(point);
    const [r, g, b] =
      target.length > 1
        ? classColor(target.indexOf(Math.max(...target)))
        : boundaryColor(target[0]!);
    context.beginPath();
    context.arc(
      ((x! - x0) / (x1 - x0)) * canvas.width,
      ((y1 - y!) / (y1 - y0)) * canvas.height,
      4,
      0,
      2 * Math.PI,
    );
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    context.fill();
    context.strokeStyle = ring;
    context.stroke();
  };
  for (const point of state.points.train) dot(point, 'white');
  if (input('show-test').checked) for (const point of state.points.test) dot(point, 'black');
}

/** The Playground's opacity for the heat map's colours. */
const heatmapAlpha = 160;

/** Fills a canvas of `size` × `size` pixels with the colours of a grid of outputs. */
function paint(
  canvas: HTMLCanvasElement,
  grid: Float64Array,
  discretize = false,
  alpha = 255,
): void {
  const image = new ImageData(canvas.width, canvas.height);
  grid.forEach((value, i) => {
    image.data.set([...boundaryColor(value, discretize), alpha], i * 4);
  });
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}

/** Ticks along the heat map's bottom (x) and left (y), at round numbers of its domain. */
function drawAxes({ x: [x0, x1], y: [y0, y1] }: Domain): void {
  const svgNs = 'http://www.w3.org/2000/svg';
  const mark = (svg: SVGSVGElement, ticks: number[], place: (t: number) => [string, string]) => {
    svg.replaceChildren(
      ...ticks.map((t) => {
        const text = document.createElementNS(svgNs, 'text');
        const [x, y] = place(t);
        text.setAttribute('x', x);
        text.setAttribute('y', y);
        text.setAttribute('class', 'tick');
        text.textContent = String(t);
        return text;
      }),
    );
  };
  mark(element('heatmap-x-axis') as unknown as SVGSVGElement, axisTicks(x0, x1), (t) => [
    `${((t - x0) / (x1 - x0)) * 100}%`,
    '12',
  ]);
  mark(element('heatmap-y-axis') as unknown as SVGSVGElement, axisTicks(y0, y1), (t) => [
    '95%',
    `${((y1 - t) / (y1 - y0)) * 100}%`,
  ]);
}

/** Fills a canvas with each cell's class colour, paler where the network is less sure. */
function paintRegions(
  canvas: HTMLCanvasElement,
  regions: Uint8Array,
  probability: Float64Array,
  discretize: boolean,
): void {
  const image = new ImageData(canvas.width, canvas.height);
  const classes = Math.max(2, state.userPoints?.classes?.length ?? 2);
  regions.forEach((index, i) => {
    // From a coin toss among the classes (white) to certain (the class's own colour).
    const sure = discretize ? 1 : (probability[i]! - 1 / classes) / (1 - 1 / classes);
    image.data.set([...classColor(index, 0.3 + 0.7 * sure), heatmapAlpha], i * 4);
  });
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}

/** The loss chart, training loss in grey and test loss in black, with epoch and loss axes (log scale if asked). */
export function drawChart(): void {
  const canvas = element<HTMLCanvasElement>('chart');
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const log = input('log-scale').checked;
  const scaled = (v: number) => (log ? Math.log10(v) : v);
  const all = [...state.losses.train, ...state.losses.test]
    .filter((v) => Number.isFinite(v) && (!log || v > 0))
    .map(scaled);
  if (all.length < 2) return;
  const [left, bottom, top] = [44, 18, 6];
  const [width, height] = [canvas.width - left - 4, canvas.height - bottom - top];
  const high = Math.max(...all);
  const low = log ? Math.min(...all) : 0;
  const span = high > low ? high - low : 1;
  const epochs = Math.max(1, state.losses.train.length - 1);
  const toX = (i: number) => left + (i / epochs) * width;
  const toY = (v: number) => top + height - ((v - low) / span) * height;
  context.font = '10px system-ui, sans-serif';
  context.fillStyle = '#555';
  context.strokeStyle = '#ccc';
  context.lineWidth = 1;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  // On the log scale the ticks are round in log10 units and labelled as losses.
  const lossTicks = axisTicks(low, high, 3);
  let digits = 2; // as few digits as keep the log scale's labels apart
  const shown = (t: number) => String(Number((10 ** t).toPrecision(digits)));
  while (digits < 6 && new Set(lossTicks.map(shown)).size < lossTicks.length) digits++;
  const label = (t: number) => (log ? shown(t) : String(t));
  for (const t of lossTicks) {
    if (t < low - 1e-12 || t > high + 1e-12) continue;
    const y = toY(t);
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(left + width, y);
    context.stroke();
    context.fillText(label(t), left - 4, y);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const t of axisTicks(0, epochs, 4)) {
    if (!Number.isInteger(t)) continue;
    context.fillText(String(t), toX(t), top + height + 4);
  }
  const line = (values: number[], colour: string) => {
    context.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v) || (log && v <= 0)) return void (drawing = false);
      const [x, y] = [toX(i), toY(scaled(v))];
      if (drawing) context.lineTo(x, y);
      else context.moveTo(x, y);
      drawing = true;
    });
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.stroke();
  };
  line(state.losses.train, '#777');
  line(state.losses.test, 'black');
}

// --- The network: columns of neurons, links coloured and sized by weight

const nodeSize = 36;
let layout: {
  links: { label: string; line: SVGLineElement; title: SVGTitleElement }[];
  thumbnails: Map<string, HTMLCanvasElement>;
} = {
  links: [],
  thumbnails: new Map(),
};

/** Lays out the network: a column of neurons per layer, links between them, +/- per hidden layer. */
export function drawNetwork(snapshot: Snapshot): void {
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
          ? state.settings.features[i]!
          : layer === shape.length - 1
            ? `o${i + 1}`
            : `h${++hidden}`;
      canvas.title = layer === 0 ? featureNames[label as Feature] : label;
      if (layer > 0) {
        // A neuron is named on hover, and a click shows its formula.
        canvas.tabIndex = 0;
        canvas.setAttribute('role', 'button');
        canvas.setAttribute('aria-label', `${label}: show its formula`);
        canvas.dataset.neuron = label;
        const open = () =>
          container.dispatchEvent(new CustomEvent('neuron-click', { detail: label }));
        canvas.onclick = open;
        canvas.onkeydown = (event) => {
          if (event.key === 'Enter' || event.key === ' ') open();
        };
      }
      container.append(canvas);
      if (layer === 0) paintFeature(canvas, label as Feature, snapshot.domain);
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
        // A wide transparent line on top takes the hover (its weight) and the click (edit it).
        const hit = line.cloneNode() as SVGLineElement;
        hit.setAttribute('class', 'link-hit');
        hit.dataset.weight = weight;
        const title = document.createElementNS(svgNs, 'title');
        title.textContent = weight;
        hit.append(title);
        hit.onclick = (event) =>
          container.dispatchEvent(
            new CustomEvent('link-click', {
              detail: { weight, x: event.clientX, y: event.clientY },
            }),
          );
        svg.append(line, hit);
        layout.links.push({ label: weight, line, title });
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
          const size = state.settings.networkShape[layer - 1]! + change;
          if (size < 1 || size > 8) return;
          state.settings.networkShape[layer - 1] = size;
          reset();
        };
        buttons.append(button);
      }
      container.append(buttons);
    }
  });
  element('layer-count').textContent =
    `${state.settings.networkShape.length} hidden layer${state.settings.networkShape.length === 1 ? '' : 's'}`;
}

function paintFeature(canvas: HTMLCanvasElement, feature: Feature, domain: Domain): void {
  const grid = new Float64Array(100);
  for (let row = 0; row < 10; row++) {
    for (let column = 0; column < 10; column++) {
      const point = thumbnailPoint(row, column, 10, domain);
      grid[row * 10 + column] = toFeatures(point, [feature])[0]!;
    }
  }
  paint(canvas, grid);
}

/** Colours and sizes the links by weight and paints each neuron's thumbnail. */
export function updateNetwork(snapshot: Snapshot): void {
  for (const { label, line, title } of layout.links) {
    const weight = snapshot.parameters[label] ?? 0;
    title.textContent = `${label} = ${Number(weight.toPrecision(4))}`;
    const [r, g, b] = boundaryColor(weight);
    line.setAttribute('stroke', `rgb(${r}, ${g}, ${b})`);
    line.setAttribute('stroke-width', String(Math.min(10, 1 + 1.8 * Math.abs(weight))));
  }
  for (const [label, canvas] of layout.thumbnails) {
    const grid = snapshot.thumbnails[label];
    if (grid !== undefined) paint(canvas, grid, input('discretize').checked);
  }
}
