// The Playground page's browser tests share this: the server with the built page, and Debian's
// Chromium (apt-get install -y chromium; these tests never download a browser) showing classic
// scrollbars, as a desktop on Linux or Windows does, so that an overflow shows as it would there.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../src/app.js';
import { Catalog } from '../src/catalog.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Whether there is a Chromium to run the page in. */
export const hasChromium = existsSync(executablePath);
if (!hasChromium) {
  console.warn(
    `Skipping the Playground page tests: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH). .ci/run installs it.`,
  );
}
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Where the tests write their screenshots. */
export const artifacts = here('../test-artifacts');
/** The admin token the test server takes. */
export const adminToken = 'page-test-admin-token';
/** The lecture's Playground link, as a hash. */
export const lectureHash =
  '#activation=tanh&batchSize=30&dataset=xor&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=40&networkShape=4,2&seed=0.05981&showTestData=false&discretize=false&percTrainData=60&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false';

/** The server and browser of a test file, and a way to open the page in it. */
export interface PageServer {
  base: string;
  browser: Browser;
  /** The page at this hash and width, once its first losses show, with no error in its console. */
  open(hash?: string, width?: number, origin?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the server (serving the page built into dist/page) and Chromium. */
export async function startPageServer(): Promise<PageServer> {
  await mkdir(artifacts, { recursive: true });
  const catalog = new Catalog({ repository: await mkdtemp(join(tmpdir(), 'dendrite-page-')) });
  await catalog.sync();
  const app = createApp({
    catalog,
    adminToken,
    allowedHosts: ['127.0.0.1', 'dendrite.test'],
    page: here('../dist/page'),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath,
    ignoreDefaultArgs: ['--hide-scrollbars'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Host names that are not loopback ones, as behind a load balancer or in a container.
      '--host-resolver-rules=MAP dendrite.test 127.0.0.1, MAP rebound.test 127.0.0.1',
    ],
  });
  const open = async (hash = lectureHash, width = 1280, origin = base): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${origin}/${hash}`);
    await expect.poll(() => page.textContent('#train-loss')).not.toBe('–');
    expect(errors, errors.join('\n')).toEqual([]);
    return page;
  };
  return {
    base,
    browser,
    open,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
