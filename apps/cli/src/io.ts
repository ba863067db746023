import { rmSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.js';

/** Where a command reads and writes: the process's streams, or stand-ins in tests. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The text of a file, or of stdin for `-`; a missing or unreadable file is a `CliError` naming it. */
export async function readText(path: string, io: Io): Promise<string> {
  if (path === '-') {
    let text = '';
    io.stdin.setEncoding('utf8');
    for await (const chunk of io.stdin) text += chunk as string;
    return text;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reason(error)}`);
  }
}

/** How many temporary files this process has named. */
let temporaries = 0;

/**
 * Writes a file all at once: into a temporary file beside it, flushed to disk, then renamed over
 * the target, so a crash leaves either the old file or the new one, never half of one; SIGINT or
 * SIGTERM while it writes removes the temporary file before the process stops.
 */
export async function writeAtomically(
  path: string,
  data: string | Uint8Array | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  // (unique by process, time and count: no need to wake the crypto module's random pool for it)
  const unique = `${process.pid}-${Date.now().toString(36)}-${++temporaries}`;
  const temporary = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  unfinished.set(temporary, path);
  if (unfinished.size === 1) for (const signal of signals) process.on(signal, stopWriting);
  try {
    const file = await open(temporary, 'wx');
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await file.writeFile(data);
      else for await (const chunk of data) await file.write(Buffer.from(chunk));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`cannot write ${path}: ${reason(error)}`);
  } finally {
    unfinished.delete(temporary);
    if (unfinished.size === 0) for (const signal of signals) process.off(signal, stopWriting);
  }
}

// Temporary files being written, and their targets. The signal handlers are there only while one
// is, so that Ctrl-C during training still stops the process at once, as by default.
const unfinished = new Map<string, string>();
const signals = ['SIGINT', 'SIGTERM'] as const;

function stopWriting(signal: NodeJS.Signals): void {
  for (const temporary of unfinished.keys()) rmSync(temporary, { force: true });
  const targets = [...unfinished.values()].join(', ');
  process.stderr.write(`dendrite: stopped by ${signal}; ${targets} left as it was\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** A file system error in words: "no such file or directory" rather than ENOENT and a stack. */
function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
  };
  return (code !== undefined && words[code]) || message;
}
