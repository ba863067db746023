import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from './cli.test-helper.js';

const io = new URL('./io.ts', import.meta.url).href;
/** tsx's loader, by its full path: the writer runs in a temporary directory, from the sources. */
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * A process that starts writing `model.json` atomically and stops halfway: its data source yields
 * one chunk, says so on stdout, and then waits for ever (as a slow disk or a long write would).
 */
function halfwayWriter(cwd: string) {
  const script = `
    import { writeAtomically } from ${JSON.stringify(io)};
    async function* data() {
      yield '{"format": "dendrite-model",';
      process.stdout.write('halfway\\n');
      await new Promise(() => setInterval(() => {}, 1000));
    }
    await writeAtomically('model.json', data());`;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
    cwd,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const halfway = new Promise<void>((resolve) =>
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('halfway')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, halfway, exited, stderr: () => stderr };
}

describe('writeAtomically', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'leaves no temporary file and the old model on %s mid-write',
    async (signal, code) => {
      const cwd = await temporaryDirectory();
      await writeFile(join(cwd, 'model.json'), 'the old model\n');
      const writer = halfwayWriter(cwd);
      await writer.halfway;
      expect((await readdir(cwd)).some((name) => name.endsWith('.tmp'))).toBe(true);
      writer.child.kill(signal);
      expect(await writer.exited).toBe(code);
      expect(await readdir(cwd)).toEqual(['model.json']);
      expect(await readFile(join(cwd, 'model.json'), 'utf8')).toBe('the old model\n');
      expect(writer.stderr()).toBe(`dendrite: stopped by ${signal}; model.json left as it was\n`);
    },
  );
});
