// BENCHMARKS.md at the repository's root, and one of its sections replaced by a bench run alone.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where BENCHMARKS.md is. */
export const benchmarksFile = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));

/** Puts `section` in BENCHMARKS.md in place of the section that starts with `heading` (or at the end). */
export function replaceSection(heading: string, section: string): void {
  const markdown = readFileSync(benchmarksFile, 'utf8');
  const start = markdown.indexOf(heading);
  const next = markdown.indexOf('\n## ', start + 1);
  writeFileSync(
    benchmarksFile,
    start < 0
      ? `${markdown}\n${section}`
      : markdown.slice(0, start) + section + (next < 0 ? '' : markdown.slice(next)),
  );
  console.log('written to BENCHMARKS.md');
}
