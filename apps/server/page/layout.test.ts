import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  hasChromium,
  lectureHash,
  startPageServer,
  type PageServer,
} from './browser.test-helper.js';

// What a person sees, with classic scrollbars: the diagram whole, formulas whole or marked as
// continuing, the page's own CSV defaults, and a picture before the worker's first answer.
let served: PageServer;
const iris = await readFile(new URL('../../../packages/fixtures/data/iris.csv', import.meta.url));

/** Every part of the network diagram that lies outside its box, and whether the box scrolls. */
const diagramOverflow = (page: Page) =>
  page.$eval('#network', (box) => {
    const frame = box.getBoundingClientRect();
    const outside = [...box.querySelectorAll('canvas, button, .feature-name, .neuron-count')]
      .map((part) => ({ part, r: part.getBoundingClientRect() }))
      .filter(
        ({ r }) =>
          r.left < frame.left - 0.5 ||
          r.right > frame.right + 0.5 ||
          r.top < frame.top - 0.5 ||
          r.bottom > frame.bottom + 0.5,
      )
      .map(({ part }) => part.textContent || (part as HTMLElement).title);
    // A name wider than its room would be cut: its text must fit the span it is in.
    const cut = [...box.querySelectorAll<HTMLElement>('.feature-name')]
      .filter((name) => name.scrollWidth > name.clientWidth)
      .map((name) => name.textContent);
    return {
      outside,
      cut,
      scrolls: box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight,
      page: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      neurons: box.querySelectorAll('canvas').length,
    };
  });

/**
 * What a person sees of each output neuron and of the lowest neuron: screenshots of where they
 * are, read back pixel by pixel; the share of each that is the page's own background (a neuron
 * cut off by its box shows the page behind it, not its thumbnail and border).
 */
async function hiddenShare(page: Page): Promise<number[]> {
  const chosen = await page.$$eval('#network canvas', (canvases) => {
    const all = canvases.map((c) => c.getBoundingClientRect());
    const right = Math.max(...all.map((r) => r.right));
    const lowest = all.reduce((a, b, i) => (b.bottom > all[a]!.bottom ? i : a), 0);
    return [...all.keys()].filter((i) => Math.abs(all[i]!.right - right) < 1 || i === lowest);
  });
  const shares: number[] = [];
  for (const index of chosen) {
    // What is on the screen where the neuron is (scrolled into view first).
    const png = (await page.locator('#network canvas').nth(index).screenshot()).toString('base64');
    shares.push(
      await page.evaluate(async (data) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = Object.assign(document.createElement('canvas'), {
          width: image.width,
          height: image.height,
        });
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        let background = 0; // #fafafa, the page's
        for (let i = 0; i < pixels.length; i += 4)
          if (pixels[i] === 250 && pixels[i + 1] === 250 && pixels[i + 2] === 250) background++;
        return background / (pixels.length / 4);
      }, png),
    );
  }
  return shares;
}

/** A CSV of `k` classes in two columns of numbers and a third, a word per class, last. */
const classesCsv = (k: number) =>
  Buffer.from(
    [
      'a,b,kind',
      ...Array.from({ length: k * 6 }, (_, i) => `${i % 7},${(i * 3) % 11},class${i % k}`),
    ].join('\n'),
  );

describe.skipIf(!hasChromium)('the Playground page as a person sees it, in Chromium', () => {
  beforeAll(async () => {
    served = await startPageServer();
  });
  afterAll(async () => {
    await served?.close();
  });

  it.each([
    ['1 hidden layer of 1', '1', [], 4],
    ['the lecture’s 4,2', '4,2', [], 9],
    ['8 hidden layers of 8', '8,8,8,8,8,8,8,8', [], 67],
    ['layers of 8 and 1 in turn, four features', '8,1,8,1,8,1', ['xSquared', 'sinY'], 32],
  ])(
    'fits the network diagram in its box at every width: %s',
    async (_, shape, features: string[], neurons) => {
      const page = await served.open(
        features.reduce(
          (hash, feature) => hash.replace(`${feature}=false`, `${feature}=true`),
          lectureHash.replace('networkShape=4,2', `networkShape=${shape}`),
        ),
      );
      for (const width of [1920, 1400, 1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForFunction(
          (w) =>
            document.documentElement.clientWidth <= w && !!document.querySelector('#network svg'),
          width,
        );
        // The diagram is drawn again for the new width (a ResizeObserver); wait for that frame.
        await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
        const overflow = await diagramOverflow(page);
        expect(overflow, `${width} px`).toMatchObject({
          outside: [],
          cut: [],
          scrolls: false,
          page: false,
          neurons,
        });
        // A neuron cut in half shows the page on half of it; one at a fractional place, a row
        // and a column of its edge (under 7%).
        for (const share of await hiddenShare(page))
          expect(share, `${width} px`).toBeLessThan(0.15);
      }
      await page.close();
    },
    120_000,
  );

  it('fits 8 hidden layers and a CSV of 10 classes on a phone and on a desktop', async () => {
    const page = await served.open(
      lectureHash.replace('networkShape=4,2', 'networkShape=8,8,8,8,8,8,8,8'),
      390,
    );
    await page.setInputFiles('#csv', {
      name: 'ten.csv',
      mimeType: 'text/csv',
      buffer: classesCsv(10),
    });
    await expect.poll(() => page.$$eval('#legend li', (items) => items.length)).toBe(10);
    for (const width of [390, 1400]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
      await expect
        .poll(() => diagramOverflow(page))
        .toMatchObject({
          outside: [],
          scrolls: false,
          page: false,
          neurons: 2 + 64 + 10,
        });
    }
    await page.close();
  });

  it('labels the inputs and counts each hidden layer’s neurons', async () => {
    const page = await served.open();
    expect(await page.$$eval('#network .feature-name', (n) => n.map((e) => e.textContent))).toEqual(
      ['x₁', 'x₂'],
    );
    expect(await page.$$eval('#network .neuron-count', (n) => n.map((e) => e.textContent))).toEqual(
      ['4 neurons', '2 neurons'],
    );
    // Small things that looked broken: one-line labels, buttons as wide as their text.
    const sizes = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      const line = parseFloat(getComputedStyle(document.body).lineHeight) || 20;
      return {
        token: box('.export-panel label span').height / line,
        layers: box('#layer-count').height / line,
        download: box('#download').width,
        send: box('#send').width,
      };
    });
    expect(sizes.token).toBeLessThan(1.6);
    expect(sizes.layers).toBeLessThan(1.6);
    expect(sizes.download).toBeLessThan(400);
    expect(sizes.send).toBeLessThan(400);
    await page.close();
  });

  it('defaults a CSV’s label to the CLI’s target and its x and y to columns of numbers', async () => {
    const page = await served.open();
    await page.setInputFiles('#csv', { name: 'iris.csv', mimeType: 'text/csv', buffer: iris });
    await expect.poll(() => page.inputValue('#csv-label')).toBe('species');
    expect(await page.inputValue('#csv-x')).toBe('sepal_length');
    expect(await page.inputValue('#csv-y')).toBe('sepal_width');
    await expect.poll(() => page.textContent('#legend')).toBe('setosaversicolorvirginica');
    // Classes have their legend: the −1…+1 colour bar is for one number.
    expect(await page.isVisible('#scale')).toBe(false);
    // A label of numbers (regression) brings the colour bar back.
    await page.selectOption('#csv-label', 'petal_length');
    await expect.poll(() => page.isVisible('#scale')).toBe(true);
    await page.close();
  });

  it('shows a formula whole: wrapped, smaller, or marked as continuing sideways', async () => {
    for (const width of [1400, 390]) {
      const page = await served.open(lectureHash, width);
      await page.setInputFiles('#csv', { name: 'iris.csv', mimeType: 'text/csv', buffer: iris });
      await expect.poll(() => page.textContent('#legend')).toBe('setosaversicolorvirginica');
      await page.selectOption('#formula-node', 'o1');
      // A softmax output reads in names (its logits z, their largest m, the sum S), each defined.
      await expect.poll(() => page.$$eval('#formula-where .katex', (k) => k.length)).toBe(5);
      expect(await page.textContent('#formula annotation')).toBe(
        'o_{1} = \\frac{\\exp\\left(z_{1} - m\\right)}{S}',
      );
      const boxes = await page.$$eval('.formula-panel .math', (all) =>
        all.map((box) => ({
          fits: box.scrollWidth <= box.clientWidth + 1,
          marked: box.classList.contains('overflowing'),
          cue: getComputedStyle(box, '::before').content,
        })),
      );
      expect(boxes).toHaveLength(7);
      for (const box of boxes) {
        // Either all of it shows, or it says that it continues.
        expect(box.fits || (box.marked && box.cue.includes('scroll sideways'))).toBe(true);
      }
      await page.close();
    }
    // The lecture's ∂o1/∂w1 fits whole on a desktop.
    const page = await served.open(lectureHash, 1400);
    await page.selectOption('#formula-node', 'o1');
    await expect.poll(() => page.textContent('#gradient annotation')).toContain('w_{1}');
    expect(await page.$eval('#gradient', (b) => b.scrollWidth <= b.clientWidth + 1)).toBe(true);
    await page.close();
  }, 60_000);

  it('draws the data and the untrained network before its worker answers', async () => {
    const page = await served.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The worker's script never arrives: whatever shows is drawn by the page itself.
    await page.route('**/worker.js', () => undefined);
    await page.goto(`${served.base}/${lectureHash}`);
    await expect.poll(() => page.locator('#network canvas').count()).toBe(2 + 4 + 2 + 1);
    const points = await page.$eval('#heatmap', (canvas) => {
      const data = (canvas as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(0, 0, 480, 480).data;
      let coloured = 0; // pixels of a point's orange or blue, not the pale untrained map
      for (let i = 0; i < data.length; i += 4)
        if (Math.min(data[i]!, data[i + 2]!) < 60) coloured++;
      return coloured;
    });
    expect(points).toBeGreaterThan(1000);
    expect(await page.textContent('#train-loss')).toBe('–');
    await page.close();
  });

  it('writes screenshots of the lecture’s link and of a 3-class CSV, on a desktop and a phone', async () => {
    for (const [width, height] of [
      [1400, 1000],
      [390, 844],
    ] as const) {
      const page = await served.open(lectureHash, width);
      await page.setViewportSize({ width, height });
      await page.screenshot({
        path: `${artifacts}/lecture-${width}x${height}.png`,
        fullPage: true,
      });
      await page.setInputFiles('#csv', { name: 'iris.csv', mimeType: 'text/csv', buffer: iris });
      await expect.poll(() => page.textContent('#legend')).toBe('setosaversicolorvirginica');
      await page.click('#step');
      await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
      await page.screenshot({ path: `${artifacts}/iris-${width}x${height}.png`, fullPage: true });
      await page.close();
    }
  }, 60_000);
});
