// Drawing: a snapshot shown, and the heat map with its points and axes (the chart and the
// network have modules of their own).
import {
  axisTicks,
  boundaryColor,
  classColor,
  iterationLabel,
  targetsOf,
  type Domain,
  type Example,
} from '@dendrite/nn';
import { drawChart } from './chart.js';
import { element, input } from './dom.js';
import { updateNetwork } from './network-view.js';
import { heatmapAlpha, paint } from './paint.js';
import type { Snapshot } from './protocol.js';
import { state } from './state.js';

/**
 * Shows a snapshot: the counter, the losses, the heat map, the chart and the network; `record`
 * false (a weight edited by hand) shows it without adding a point to the loss chart.
 */
export function show(snapshot: Snapshot, record = true): void {
  state.last = snapshot;
  element('epoch').textContent = iterationLabel(snapshot.epoch);
  const loss = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(3));
  element('train-loss').textContent = loss(snapshot.trainLoss);
  element('test-loss').textContent = loss(snapshot.testLoss);
  const classes = state.userPoints?.classes;
  // The −1…+1 colour scale is for one output; a CSV's classes have their legend beside the data.
  element('scale').hidden = classes !== undefined;
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
