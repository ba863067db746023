// The network: a column of neurons per layer with their thumbnails, links coloured and sized by
// weight; a neuron or a link clicked is announced to the controls as an event.
import { boundaryColor, thumbnailPoint, toFeatures, type Domain, type Feature } from '@dendrite/nn';
import { element, input } from './dom.js';
import { paint } from './paint.js';
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

let layout: {
  links: { label: string; line: SVGLineElement; title: SVGTitleElement }[];
  thumbnails: Map<string, HTMLCanvasElement>;
  /** What was drawn and how wide, to draw again when the box's width changes. */
  drawn?: { shape: number[]; domain: Domain; width: number };
} = {
  links: [],
  thumbnails: new Map(),
};

/**
 * Where everything goes in a box `width` pixels wide: a column per layer, the input features'
 * names on the left, each hidden layer's buttons and neuron count above it. Neurons shrink as
 * columns crowd, so that 8 hidden layers of 8 and 10 outputs fit a phone's width.
 */
function networkLayout(shape: readonly number[], width: number) {
  const names = width >= 360 ? 46 : 40;
  const spacing = (width - names) / shape.length;
  const node = Math.round(Math.max(14, Math.min(36, spacing * 0.55)));
  const stacked = spacing < 62; // the + and − over each other, the count between them
  const top = stacked ? 62 : 46;
  const pitch = node + Math.max(8, Math.round(node * 0.35));
  const at = (layer: number, index: number) => ({
    x: names + (layer * (width - names - node)) / Math.max(1, shape.length - 1),
    y: top + index * pitch,
  });
  return { node, stacked, at, names, height: top + Math.max(...shape) * pitch };
}

/** Lays out the network: a column of neurons per layer, links between them, +/- per hidden layer. */
export function drawNetwork(shape: readonly number[], domain: Domain): void {
  const container = element('network');
  container.replaceChildren();
  const width = Math.max(240, Math.floor(container.clientWidth) || 600);
  const { node, stacked, at, names, height } = networkLayout(shape, width);
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  container.style.height = `${height}px`;
  container.append(svg);
  layout = { links: [], thumbnails: new Map(), drawn: { shape: [...shape], domain, width } };
  let weights = 0;
  let hidden = 0;
  shape.forEach((size, layer) => {
    for (let i = 0; i < size; i++) {
      const { x, y } = at(layer, i);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 10;
      Object.assign(canvas.style, {
        left: `${x}px`,
        top: `${y}px`,
        width: `${node}px`,
        height: `${node}px`,
      });
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
      if (layer === 0) {
        // The feature's name to the left of its neuron, as on the Playground.
        const name = document.createElement('span');
        name.className = 'feature-name';
        name.textContent = featureNames[label as Feature];
        Object.assign(name.style, {
          width: `${names - 4}px`,
          top: `${y}px`,
          height: `${node}px`,
          fontSize: names < 46 ? '0.65rem' : '0.75rem',
        });
        container.append(name);
        paintFeature(canvas, label as Feature, domain);
        continue;
      }
      layout.thumbnails.set(label, canvas);
      for (let j = 0; j < shape[layer - 1]!; j++) {
        const from = at(layer - 1, j);
        const line = document.createElementNS(svgNs, 'line');
        line.setAttribute('x1', String(from.x + node));
        line.setAttribute('y1', String(from.y + node / 2));
        line.setAttribute('x2', String(x));
        line.setAttribute('y2', String(y + node / 2));
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
    if (layer > 0 && layer < shape.length - 1) {
      container.append(layerControls(layer, size, at(layer, 0).x + node / 2, stacked));
    }
  });
  const layers = shape.length - 2;
  element('layer-count').textContent = `${layers} hidden layer${layers === 1 ? '' : 's'}`;
}

/** Buttons to add or remove a neuron of a hidden layer, and its count, centred on its column. */
function layerControls(layer: number, size: number, centre: number, stacked: boolean) {
  const box = document.createElement('div');
  box.className = stacked ? 'layer-size stacked' : 'layer-size';
  box.style.left = `${centre}px`;
  const count = document.createElement('span');
  count.className = 'neuron-count';
  count.textContent = stacked ? String(size) : `${size} neuron${size === 1 ? '' : 's'}`;
  count.title = `${size} neuron${size === 1 ? '' : 's'}`;
  const buttons = (
    [
      ['+', 1],
      ['−', -1],
    ] as const
  ).map(([text, change]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.setAttribute(
      'aria-label',
      `${change > 0 ? 'Add a neuron to' : 'Remove a neuron from'} hidden layer ${layer}`,
    );
    button.onclick = () => {
      const next = state.settings.networkShape[layer - 1]! + change;
      if (next < 1 || next > 8) return;
      state.settings.networkShape[layer - 1] = next;
      reset();
    };
    return button;
  });
  if (stacked) box.append(buttons[0]!, count, buttons[1]!);
  else {
    const row = document.createElement('div');
    row.append(...buttons);
    box.append(row, count);
  }
  return box;
}

/** Draws the network again when its box changes width (a window resized, a phone turned). */
export function watchNetworkWidth(): void {
  const container = element('network');
  new ResizeObserver(() => {
    const { drawn } = layout;
    if (drawn === undefined || Math.floor(container.clientWidth) === drawn.width) return;
    drawNetwork(drawn.shape, drawn.domain);
    if (state.last !== undefined) updateNetwork(state.last);
  }).observe(container);
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
    const value = snapshot.parameters[label];
    title.textContent = value === undefined ? label : `${label} = ${Number(value.toPrecision(4))}`;
    const weight = value ?? 0;
    const [r, g, b] = boundaryColor(weight);
    line.setAttribute('stroke', `rgb(${r}, ${g}, ${b})`);
    line.setAttribute('stroke-width', String(Math.min(10, 1 + 1.8 * Math.abs(weight))));
  }
  for (const [label, canvas] of layout.thumbnails) {
    const grid = snapshot.thumbnails[label];
    if (grid !== undefined) paint(canvas, grid, input('discretize').checked);
  }
}
