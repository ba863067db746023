// Builds the Playground page into dist/page: main.js (the page), worker.js (training), main.css
// (with KaTeX's fonts) and index.html, bundling @dendrite/nn and the engine from their sources.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('../dist/page');

await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { main: here('../page/main.ts'), worker: here('../page/worker.ts') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@dendrite/source'],
  // seedrandom tries require('crypto') inside a try block; in a browser it uses its own entropy.
  external: ['crypto'],
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await copyFile(here('../page/index.html'), `${outdir}/index.html`);
