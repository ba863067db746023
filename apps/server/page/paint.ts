// Painting a grid of outputs into a canvas, in the Playground's colours.
import { boundaryColor } from '@dendrite/nn';

/** The Playground's opacity for the heat map's colours. */
export const heatmapAlpha = 160;

/** Fills a canvas of `size` × `size` pixels with the colours of a grid of outputs. */
export function paint(
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
