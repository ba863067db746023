import { readFile } from 'node:fs/promises';
import {
  classColor,
  loadModel,
  parsePlaygroundUrl,
  playgroundExperiment,
  trainer,
  viewDomain,
} from '@dendrite/nn';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedExperiments } from '@dendrite/fixtures';
import {
  adminToken,
  artifacts,
  hasChromium,
  lectureHash,
  startPageServer,
  type PageServer,
} from './browser.test-helper.js';

// The Playground's own losses for the lecture's link (its code run outside this repository).
const recorded = recordedExperiments.find((e) => e.url.endsWith(lectureHash))!;

let served: PageServer;
let base: string;
let browser: Browser;
const open = (...args: Parameters<PageServer['open']>) => served.open(...args);

describe.skipIf(!hasChromium)('the Playground page, in Chromium', () => {
  beforeAll(async () => {
    served = await startPageServer();
    ({ base, browser } = served);
  });
  afterAll(async () => {
    await served?.close();
  });

  const heatmap = (page: Page) =>
    page.$eval('#heatmap', (canvas) => (canvas as HTMLCanvasElement).toDataURL());
  const epoch = async (page: Page) => Number((await page.textContent('#epoch'))!.replace(',', ''));

  it('opens the lecture’s link with the Playground’s data, weights and losses', async () => {
    const page = await open();
    expect(await page.textContent('#epoch')).toBe('000,000');
    expect(await page.textContent('#test-loss')).toBe(recorded.initialLoss.test.toFixed(3));
    expect(await page.textContent('#train-loss')).toBe(recorded.initialLoss.train.toFixed(3));
    expect(await page.inputValue('#dataset')).toBe('xor');
    expect(await page.inputValue('#noise')).toBe('40');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    expect(await page.textContent('#test-loss')).toBe(recorded.testLoss[0]!.toFixed(3));
    expect(await page.textContent('#train-loss')).toBe(recorded.trainLoss[0]!.toFixed(3));
    // The network the page trains is the CLI replay's, parameter for parameter.
    const replay = playgroundExperiment({ ...parsePlaygroundUrl(lectureHash), seed: '0.05981' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const { network } = loadModel(await readFile((await download.path())!, 'utf8'));
    trainer(replay.network, replay.train, replay.trainOptions).epoch();
    expect(network.parameters().map((p) => p.value)).toEqual(
      replay.network.parameters().map((p) => p.value),
    );
    await page.screenshot({ path: `${artifacts}/lecture-link.png`, fullPage: true });
    await page.close();
  });

  it('trains when played: the epoch counter, the losses and the heat map move', async () => {
    const page = await open();
    const before = { map: await heatmap(page), loss: await page.textContent('#train-loss') };
    await page.click('#play');
    await expect.poll(() => epoch(page), { timeout: 120_000 }).toBeGreaterThan(20);
    await page.click('#play'); // pause
    expect(await page.getAttribute('#play', 'aria-pressed')).toBe('false');
    expect(await page.textContent('#train-loss')).not.toBe(before.loss);
    expect(await heatmap(page)).not.toBe(before.map);
    await page.screenshot({ path: `${artifacts}/after-play.png`, fullPage: true });
    await page.close();
  });

  it('keeps the URL hash in the Playground’s keys as settings change', async () => {
    const page = await open('#learningRate=0.05&seed=1');
    expect(await page.inputValue('#learning-rate')).toBe('0.05');
    await page.selectOption('#dataset', 'spiral');
    await page.check('#features input[value="sinX"]');
    await page.click('#add-layer');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('dataset=spiral');
    const settings = parsePlaygroundUrl(await page.evaluate(() => location.hash));
    const invalid = await open('#dataset=moons&noise=90&activation=relu&learningRate=0.3&seed=1');
    // At the top, announced (role="alert"): every bad key; the good ones are kept.
    const alert = await invalid.textContent('#alert');
    expect(alert).toContain('dataset=moons is not one of circle');
    expect(alert).toContain('noise=90 must be a number from 0 to 50');
    expect(await invalid.getAttribute('#alert', 'role')).toBe('alert');
    expect(await invalid.isVisible('#alert')).toBe(true);
    expect(await invalid.inputValue('#dataset')).toBe('circle');
    expect(await invalid.inputValue('#activation')).toBe('relu');
    expect(await invalid.inputValue('#learning-rate')).toBe('0.3');
    await invalid.close();
    expect(settings).toMatchObject({
      dataset: 'spiral',
      networkShape: [4, 2, 2],
      features: ['x', 'y', 'sinX'],
    });
    await page.close();
  });

  it('changes the learning rate mid-run, and redraws for discretize, without starting over', async () => {
    const page = await open();
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    await page.selectOption('#learning-rate', '0.3');
    const smooth = await heatmap(page);
    await page.check('#discretize');
    expect(await heatmap(page)).not.toBe(smooth);
    expect(await page.textContent('#epoch')).toBe('000,001');
    expect(await page.evaluate(() => location.hash)).toContain('learningRate=0.3');
    expect(await page.evaluate(() => location.hash)).toContain('discretize=true');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,002');
    await page.close();
  });

  it('shows the formula of a neuron and its gradient, rendered by KaTeX', async () => {
    const page = await open();
    await page.selectOption('#formula-node', 'h1');
    await page.selectOption('#formula-weight', 'w1');
    await expect.poll(() => page.locator('#formula .katex').count()).toBe(1);
    await expect.poll(() => page.locator('#gradient .katex').count()).toBe(1);
    expect(await page.textContent('#formula annotation')).toContain('\\tanh');
    await page.close();
  });

  it('exports the model: a download, and the server predicting with it as the page does', async () => {
    const page = await open();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const { network } = loadModel(await readFile((await download.path())!, 'utf8'));
    expect(network.shape).toEqual([2, 4, 2, 1]);
    await page.click('#send');
    await expect.poll(() => page.textContent('#server-result')).toContain('admin token');
    await page.fill('#admin-token', adminToken);
    await page.click('#send');
    await expect
      .poll(() => page.textContent('#server-result'))
      .toContain('The server now serves model "playground"');
    const text = (await page.textContent('#server-result'))!;
    const [, server, own] = /it predicts (\S+); this page: (\S+)\.$/.exec(text)!;
    expect(Number(server)).toBe(Number(own));
    const metadata = await fetch(`${base}/v2/models/playground`);
    expect(metadata.status).toBe(200);
    await page.close();
  });

  it('works under a host name that is not loopback, over plain HTTP; another name gets 403', async () => {
    const port = new URL(base).port;
    const page = await open(lectureHash, 1280, `http://dendrite.test:${port}`);
    await page.click('#play');
    await expect.poll(() => page.textContent('#epoch')).not.toBe('000,000');
    await page.close();
    const rebound = await browser.newPage();
    const response = await rebound.goto(`http://rebound.test:${port}/`);
    expect(response!.status()).toBe(403);
    expect(await response!.json()).toMatchObject({ error: expect.stringMatching(/rebound\.test/) });
    await rebound.close();
  });

  it('loads a CSV file of its own points', async () => {
    const page = await open();
    const rows = [
      'x,y,label',
      ...Array.from({ length: 40 }, (_, i) => `${(i % 8) - 4},${Math.floor(i / 8) - 2},${i % 2}`),
    ];
    await page.setInputFiles('#csv', {
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await expect.poll(() => page.textContent('#data-note')).toBe('40 points from mine.csv');
    expect(await page.textContent('#epoch')).toBe('000,000');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    await page.setInputFiles('#csv', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('x,y,label\n1,2\n3,4,1\n'),
    });
    await expect
      .poll(() => page.textContent('#csv-error'))
      .toContain('bad.csv row 2: expected numbers in x and y and a label in label');
    await page.screenshot({ path: `${artifacts}/csv.png`, fullPage: true });
    await page.close();
  });

  it('takes k classes from any columns, one colour each with a legend, the axes fitted to the data', async () => {
    const page = await open();
    // Three clusters far outside [-6, 6]², in columns not named x, y and label.
    const centres = { iris: [100, 50], rose: [200, 50], tulip: [150, 90] } as const;
    const rows = ['length,width,extra,kind'];
    for (const [kind, [cx, cy]] of Object.entries(centres)) {
      for (let i = 0; i < 15; i++)
        rows.push(`${cx + (i % 5) * 3},${cy + Math.floor(i / 5) * 3},${i},${kind}`);
    }
    await page.setInputFiles('#csv', {
      name: 'flowers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    // The label is the last column, as the CLI's target; x and y the first columns of numbers.
    await expect.poll(() => page.inputValue('#csv-label')).toBe('kind');
    expect([await page.inputValue('#csv-x'), await page.inputValue('#csv-y')]).toEqual([
      'length',
      'width',
    ]);
    await expect.poll(() => page.textContent('#legend')).toBe('irisrosetulip');
    expect(await page.$$eval('#legend li', (items) => items.length)).toBe(3);
    await expect
      .poll(() => page.getAttribute('#heatmap', 'aria-label'))
      .toContain('a colour per class (iris, rose, tulip)');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    // Every point is on the canvas: the centre of the first one is painted in its class's colour.
    const domain = viewDomain(
      rows.slice(1).map((row) => ({ input: row.split(',').slice(0, 2).map(Number), target: 0 })),
    );
    const [r, g, b] = classColor(0);
    const pixel = await page.$eval(
      '#heatmap',
      (canvas, [x, y]) =>
        [...(canvas as HTMLCanvasElement).getContext('2d')!.getImageData(x!, y!, 1, 1).data].slice(
          0,
          3,
        ),
      [
        Math.round(((100 - domain.x[0]) / (domain.x[1] - domain.x[0])) * 480),
        Math.round(((domain.y[1] - 50) / (domain.y[1] - domain.y[0])) * 480),
      ],
    );
    expect(pixel).toEqual([r, g, b]);
    // The model it exports records the classes and the columns.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const model = loadModel(await readFile((await download.path())!, 'utf8'));
    expect(model.task).toEqual({ kind: 'classification', classes: ['iris', 'rose', 'tulip'] });
    expect(model.names).toEqual({ inputs: ['length', 'width'], targets: ['kind'] });
    expect(model.network.activations.at(-1)).toBe('softmax');
    await page.screenshot({ path: `${artifacts}/classes.png`, fullPage: true });
    await page.close();
  });

  it('draws the heat map at the Playground’s alpha, with axis ticks, and the chart with axes', async () => {
    const page = await open(lectureHash, 1400);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    // Over white at alpha 160 every channel of the map is at least 255 · 95/255 = 95; the points
    // are opaque, so a blue one (red channel 8) shows through as itself.
    const channels = await page.$eval('#heatmap', (canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d')!;
      const data = context.getImageData(0, 0, 480, 480).data;
      let darkest = 255;
      for (let i = 0; i < data.length; i += 4)
        darkest = Math.min(darkest, data[i]!, data[i + 1]!, data[i + 2]!);
      // The map alone: the top-left corner, where xor has no points within 4 px.
      const corner = context.getImageData(0, 0, 3, 3).data;
      return { darkest, corner: Math.min(...corner.filter((_, i) => i % 4 !== 3)) };
    });
    expect(channels.corner).toBeGreaterThanOrEqual(95);
    expect(channels.darkest).toBeLessThan(95);
    const ticks = (axis: string) =>
      page.$$eval(`#heatmap-${axis}-axis text`, (t) => t.map((e) => e.textContent));
    expect(await ticks('x')).toEqual(['-6', '-4', '-2', '0', '2', '4', '6']);
    expect(await ticks('y')).toEqual(['-6', '-4', '-2', '0', '2', '4', '6']);
    expect(await page.textContent('.chart-legend')).toContain('training loss');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,002');
    const linear = await page.$eval('#chart', (c) => (c as HTMLCanvasElement).toDataURL());
    await page.check('#log-scale');
    expect(await page.$eval('#chart', (c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(
      linear,
    );
    await page.screenshot({ path: `${artifacts}/page-1400x1000.png`, fullPage: true });
    await page.close();
  });

  it('shows a weight on hover and edits it on click, as the library would', async () => {
    const page = await open();
    await expect.poll(() => page.textContent('[data-weight="w1"] title')).toMatch(/^w1 = -?\d/);
    // A real click on the link's middle (it may be horizontal, a box of no height for Playwright).
    const middle = await page.$eval('[data-weight="w1"]', (line) => {
      const box = (line as SVGLineElement).ownerSVGElement!.getBoundingClientRect();
      const at = (name: string) => Number(line.getAttribute(name));
      return { x: box.left + (at('x1') + at('x2')) / 2, y: box.top + (at('y1') + at('y2')) / 2 };
    });
    await page.mouse.click(middle.x, middle.y);
    await expect.poll(() => page.isVisible('#weight-editor')).toBe(true);
    await page.fill('#weight-value', '0.5');
    await page.press('#weight-value', 'Enter');
    await expect.poll(() => page.textContent('[data-weight="w1"] title')).toBe('w1 = 0.5');
    await page.click('#step');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    // The same edit through the library: the page's experiment, w1 set to 0.5, one epoch.
    const replay = playgroundExperiment({ ...parsePlaygroundUrl(lectureHash), seed: '0.05981' });
    const run = trainer(replay.network, replay.train, replay.trainOptions);
    const values = run.parameterValues();
    values[replay.network.parameters().findIndex((p) => p.label === 'w1')] = 0.5;
    run.setParameterValues(values);
    const { trainLoss, testLoss } = run.epoch();
    expect(await page.textContent('#train-loss')).toBe(trainLoss.toFixed(3));
    expect(await page.textContent('#test-loss')).toBe(testLoss!.toFixed(3));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const { network } = loadModel(await readFile((await download.path())!, 'utf8'));
    expect(network.parameters().map((p) => p.value)).toEqual(
      replay.network.parameters().map((p) => p.value),
    );
    // A neuron is named on hover, and a click shows its formula.
    expect(await page.getAttribute('[data-neuron="h1"]', 'title')).toBe('h1');
    await page.click('[data-neuron="h1"]');
    await expect.poll(() => page.inputValue('#formula-node')).toBe('h1');
    await page.close();
  });

  it('keeps a long formula inside its panel on a 390 px phone', async () => {
    const page = await open(lectureHash.replace('networkShape=4,2', 'networkShape=8,8,8'), 390);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.selectOption('#formula-node', 'o1');
    await expect
      .poll(() => page.$eval('#gradient', (e) => e.textContent!.length))
      .toBeGreaterThan(200);
    const fits = await page.evaluate(() => {
      const panel = document.querySelector('.formula-panel')!;
      const gradient = document.getElementById('gradient')!;
      const line = parseFloat(getComputedStyle(gradient).lineHeight);
      return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        panel: panel.scrollWidth - panel.clientWidth,
        // It wraps onto several lines, and what cannot wrap scrolls inside its own box.
        wraps: gradient.getBoundingClientRect().height > 2 * line,
        scrolls: getComputedStyle(gradient).overflowX === 'auto',
      };
    });
    expect(fits.page).toBeLessThanOrEqual(0);
    expect(fits.panel).toBeLessThanOrEqual(0);
    expect(fits.wraps, JSON.stringify(fits)).toBe(true);
    expect(fits.scrolls).toBe(true);
    await page.screenshot({ path: `${artifacts}/page-390x844.png`, fullPage: true });
    await page.close();
  });

  it('works from the keyboard and in a narrow window', async () => {
    const page = await open(lectureHash, 390);
    await page.focus('#step');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#epoch')).toBe('000,001');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${artifacts}/narrow.png`, fullPage: true });
    await page.close();
  });
});
