#!/usr/bin/env node
// Adds up the "Tests  N passed | N failed | N skipped (N)" lines that vitest prints for each
// package in a test log, and prints one plain line for the whole run: `N passed, N failed, N skipped`.
// Usage: node scripts/test-total.mjs test.log   (exits 1 if the log shows no test at all)
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const total = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
for (const [, counts] of log.matchAll(/(?:^|\s)Tests\s+(\d+ \w+(?: \| \d+ \w+)*)\s+\(\d+\)/gm)) {
  packages++;
  for (const part of counts.split('|')) {
    const [count, kind] = part.trim().split(' ');
    const key = kind === 'passed' || kind === 'failed' ? kind : 'skipped'; // skipped, todo
    total[key] += Number(count);
  }
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (packages === 0) {
  console.error('test-total: the log shows no test results');
  process.exit(1);
}
