#!/usr/bin/env node
// Writes a library's JavaScript into dist/ as a few bundled ES modules (tsc writes only the
// declarations): Node opens, resolves and compiles every file of a package when it is imported,
// and for dendrite's forty-odd small files that took longer than the code they hold (importing
// @dendrite/autograd: 28 ms as files, 3 ms bundled). Entry points that share code share chunks,
// so each module still exists once. Dependencies and `#` imports stay imports, resolved when the
// package is used (a `#` import chooses by runtime, e.g. Node or a browser).
// Usage, from a package's directory: node ../../scripts/bundle.mjs src/index.ts [src/other.ts …]
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: node ../../scripts/bundle.mjs src/index.ts [src/other.ts …]');
  process.exit(2);
}
const { outputFiles } = await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  external: ['#*', 'node:*'],
  // Chunks sit beside the entry points, so a path relative to a module (`new URL('../package.json',
  // import.meta.url)`) means the same from either.
  chunkNames: '[name]-[hash]',
  tsconfig: 'tsconfig.build.json',
  sourcemap: true,
  logLevel: 'warning',
  write: false,
});
// Each file is written whole and renamed over the old one, so that another process running the
// package meanwhile (tests build and run packages side by side) never reads half a module.
const written = new Set();
for (const { path, contents } of outputFiles) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
  written.add(path);
}
// The other .js files beside them are last build's (tsc writes declarations only): they go, so
// that no module that no longer exists can linger and be published.
for (const directory of new Set([...written].map((path) => dirname(path)))) {
  for (const file of readdirSync(directory)) {
    const path = resolve(directory, file);
    if (/\.js(\.map)?$/.test(file) && !written.has(path)) rmSync(path);
  }
}
