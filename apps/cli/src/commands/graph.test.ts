import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendrite, expectFailure, workspace } from '../cli.test-helper.js';

let cwd: string;
beforeAll(async () => {
  cwd = await workspace({}, { trained: true });
});

describe('dendrite graph', () => {
  it('prints the output graph as DOT, one node per value', async () => {
    const run = await dendrite(['graph', 'model.json', '--input', '-2,-1'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^digraph dendrite \{/);
    expect(run.stdout).toContain('{ o1 | value ');
    expect(run.stdout).toContain('{ x1 | value -2 | grad 0 }');
  });

  it('draws the loss with its gradients as SVG, without a Graphviz install', async () => {
    const run = await dendrite(
      ['graph', 'model.json', '--of', 'loss', '--input', '-2,-1', '-o', 'loss.svg'],
      {
        cwd,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wrote loss.svg\n'); // as export says what it wrote
    const svg = await readFile(join(cwd, 'loss.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toMatch(/>L<\/text>/);
    expect(svg).toMatch(/grad -?0\.\d+/);
  });

  it('fails clearly on an input of the wrong size', async () => {
    expectFailure(
      await dendrite(['graph', 'model.json', '--input', '1,2,3'], { cwd }),
      2,
      '--input has 3 numbers; model.json takes 2',
    );
  });
});
