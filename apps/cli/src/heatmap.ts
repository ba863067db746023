import { axisTicks, boundaryColor, targetsOf, type Example } from '@dendrite/nn';
import { createRequire } from 'node:module';
import type { PNG as Png } from 'pngjs';

type Rgb = [number, number, number];

/** The Playground's opacity for the heat map's colours, over white. */
const alpha = 160;

/** The margins of the PNG around the map: room for the y axis's labels on the left, the x axis's below. */
const margin = { left: 30, right: 8, top: 8, bottom: 20 };

/**
 * The decision boundary as a PNG, as the Playground draws it: the `density`² grid (top row
 * first) scaled up, its colours at alpha 160 over white, the points on it (white rings; test
 * points with dark rings) and axis ticks from −6 to 6.
 */
export function boundaryPng(
  grid: Float64Array,
  density: number,
  points: { train: readonly Example[]; test: readonly Example[] },
  { scale = 4, discretize = false } = {},
): Buffer {
  const size = density * scale;
  const [width, height] = [margin.left + size + margin.right, margin.top + size + margin.bottom];
  // (pngjs loads only when a picture is drawn)
  const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: typeof Png };
  const png = new PNG({ width, height });
  png.data.fill(255); // white, opaque
  const paint = (px: number, py: number, [r, g, b]: Rgb, opacity = 255) => {
    if (
      px < -margin.left ||
      py < -margin.top ||
      px >= size + margin.right ||
      py >= size + margin.bottom
    )
      return;
    const at = ((py + margin.top) * width + px + margin.left) * 4;
    const t = opacity / 255;
    png.data[at] = Math.round(r * t + png.data[at]! * (1 - t));
    png.data[at + 1] = Math.round(g * t + png.data[at + 1]! * (1 - t));
    png.data[at + 2] = Math.round(b * t + png.data[at + 2]! * (1 - t));
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cell = Math.floor(py / scale) * density + Math.floor(px / scale);
      paint(px, py, boundaryColor(grid[cell]!, discretize), alpha);
    }
  }
  const dot = (example: Example, ring: Rgb) => {
    const [x, y] = example.input;
    const target = targetsOf(example)[0]!;
    const cx = ((x! + 6) / 12) * size;
    const cy = ((6 - y!) / 12) * size;
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const r = Math.hypot(dx, dy);
        if (r <= 3.5)
          paint(Math.round(cx + dx), Math.round(cy + dy), r > 2.5 ? ring : boundaryColor(target));
      }
    }
  };
  for (const point of points.train) dot(point, [255, 255, 255]);
  for (const point of points.test) dot(point, [40, 40, 40]);
  const ink: Rgb = [85, 85, 85];
  for (const tick of axisTicks(-6, 6)) {
    const along = Math.round(((tick + 6) / 12) * (size - 1));
    for (let k = 1; k <= 4; k++) {
      paint(along, size - 1 + k, ink); // x axis, below the map
      paint(-k, size - 1 - along, ink); // y axis, left of the map
    }
    const label = String(tick);
    text(paint, label, along - (label.length * 8 - 2) / 2, size + 6, ink);
    text(paint, label, -6 - label.length * 8, size - 1 - along - 5, ink);
  }
  return PNG.sync.write(png);
}

/** Digits and a minus sign, 3 × 5 pixels each, row by row from the top. */
const glyphs: Record<string, string> = {
  '-': '000000111000000',
  '.': '000000000000010',
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001001001001',
  '8': '111101111101111',
  '9': '111101111001111',
};

/** Writes `label` with its top-left corner at (x, y), each glyph pixel as 2 × 2 pixels. */
function text(
  paint: (px: number, py: number, colour: Rgb) => void,
  label: string,
  x: number,
  y: number,
  colour: Rgb,
): void {
  [...label].forEach((char, i) => {
    const glyph = glyphs[char] ?? '';
    [...glyph].forEach((bit, k) => {
      if (bit !== '1') return;
      const [gx, gy] = [x + i * 8 + (k % 3) * 2, y + Math.floor(k / 3) * 2];
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ])
        paint(gx + dx!, gy + dy!, colour);
    });
  });
}

/**
 * The decision boundary in a terminal: 24-bit colour half blocks, two grid rows per line,
 * `width` characters wide.
 */
export function boundaryText(
  grid: Float64Array,
  density: number,
  width = 50,
  discretize = false,
): string {
  const step = density / width;
  const at = (row: number, column: number) =>
    boundaryColor(grid[Math.floor(row * step) * density + Math.floor(column * step)]!, discretize);
  const lines: string[] = [];
  for (let row = 0; row < width; row += 2) {
    let line = '';
    for (let column = 0; column < width; column++) {
      const [top, bottom] = [at(row, column), at(row + 1, column)];
      line += `\x1b[38;2;${top.join(';')}m\x1b[48;2;${bottom.join(';')}m▀`;
    }
    lines.push(`${line}\x1b[0m`);
  }
  return `${lines.join('\n')}\n`;
}
