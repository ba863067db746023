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
