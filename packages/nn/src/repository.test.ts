import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addVersion, scanRepository } from './repository.js';

describe('addVersion', () => {
  it('numbers versions after the ones there (a flat file is version 1), each once under a race', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dendrite-repository-'));
    writeFileSync(join(directory, 'iris.json'), '{"flat": true}');
    const added = await Promise.all(
      ['a', 'b', 'c', 'd'].map((text) => addVersion(directory, 'iris', `{"${text}": 1}`)),
    );
    expect(added.map((a) => a.version).sort()).toEqual([2, 3, 4, 5]);
    for (const [i, { path }] of added.entries())
      expect(readFileSync(path, 'utf8')).toBe(`{"${'abcd'[i]}": 1}`);
    const scan = await scanRepository(directory);
    expect([...scan.models.get('iris')!.versions.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(scan.problems).toEqual([]);
  });
});
