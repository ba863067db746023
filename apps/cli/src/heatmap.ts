import { boundaryColor, targetsOf, type Example } from '@dendrite/nn';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];

/**
 * The decision boundary as a PNG: the `density`² grid (top row first) scaled up, with the
 * points drawn on it as the Playground does (white rings; test points with dark rings).
 */
export function boundaryPng(
  grid: Float64Array,
  density: number,
  points: { train: readonly Example[]; test: readonly Example[] },
  { scale = 4, discretize = false } = {},
): Buffer {
  const size = density * scale;
  const png = new PNG({ width: size, height: size });
  const paint = (px: number, py: number, [r, g, b]: Rgb) => {
    if (px < 0 || py < 0 || px >= size || py >= size) return;
    const at = (py * size + px) * 4;
    png.data[at] = r;
    png.data[at + 1] = g;
    png.data[at + 2] = b;
    png.data[at + 3] = 255;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cell = Math.floor(py / scale) * density + Math.floor(px / scale);
      paint(px, py, boundaryColor(grid[cell]!, discretize));
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
  return PNG.sync.write(png);
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
