import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the lecture example prints the automatic dL/dw1 beside the hand-derived one', () => {
  const script = fileURLToPath(new URL('./lecture.ts', import.meta.url));
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@dendrite/source', script],
    { encoding: 'utf8' },
  );
  expect(output).toContain('-(2 * (y - o1)) * o1 * (1 - o1) * w5 * h1 * (1 - h1) * x1');
  expect(output).toContain('automatic (backward):   0.02146953526581111');
  expect(output).toContain('automatic (symbolic):   0.02146953526581111');
  expect(output).toContain('hand-derived (lecture): 0.02146953526581111');
  expect(output).toContain('difference:             0');
});
