// The loss chart: training and test loss per epoch, with epoch and loss axes and a log scale.
import { axisTicks } from '@dendrite/nn';
import { element, input } from './dom.js';
import { state } from './state.js';

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
