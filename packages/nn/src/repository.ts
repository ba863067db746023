// The model repository on disk, in the layout Triton and TensorFlow Serving use:
// `DIR/<name>/<version>/model.json`, and a flat `DIR/<name>.json` as version 1. Every write is
// atomic and durable (temp file, fsync, rename, fsync the directory), so a reader, in this process
// or in another replica on the same directory, sees a whole file or none.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Model names are plain words, so a name is never a path or an object key with a meaning. */
export const modelName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Version directories are whole numbers without leading zeros. */
const versionName = /^(0|[1-9]\d{0,8})$/;
/** The file of a model (`DIR/<name>/unloaded`) that says it was unloaded, on every replica. */
const unloadedMarker = 'unloaded';

/** One version's file, and a stamp that changes whenever the file is replaced. */
export interface VersionFile {
  path: string;
  stamp: string;
}

/** What a scan of the repository found: each model's versions, and the entries it could not use. */
export interface RepositoryScan {
  models: Map<string, { versions: Map<number, VersionFile>; unloaded: boolean }>;
  problems: { path: string; reason: string }[];
}

/** A file's stamp: it changes whenever the file is replaced. */
export const stampOf = async (path: string) => {
  const { ino, size, mtimeMs } = await stat(path);
  return `${ino}:${size}:${mtimeMs}`;
};
const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Every model and version in the repository directory (files are read later, by their stamp). */
export async function scanRepository(directory: string): Promise<RepositoryScan> {
  const scan: RepositoryScan = { models: new Map(), problems: [] };
  const model = (name: string) => {
    let found = scan.models.get(name);
    if (found === undefined)
      scan.models.set(name, (found = { versions: new Map(), unloaded: false }));
    return found;
  };
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    const flat = entry.isFile() && entry.name.endsWith('.json');
    const name = flat ? entry.name.slice(0, -'.json'.length) : entry.name;
    if (!flat && !entry.isDirectory()) continue;
    if (!modelName.test(name)) {
      scan.problems.push({
        path,
        reason: `"${name}" is not a model name (letters, digits, _ . - only)`,
      });
      continue;
    }
    try {
      if (flat) {
        if (!model(name).versions.has(1))
          model(name).versions.set(1, { path, stamp: await stampOf(path) });
        continue;
      }
      for (const version of await readdir(path, { withFileTypes: true })) {
        if (version.name === unloadedMarker) model(name).unloaded = true;
        if (!version.isDirectory() || !versionName.test(version.name)) continue;
        const file = join(path, version.name, 'model.json');
        try {
          model(name).versions.set(Number(version.name), {
            path: file,
            stamp: await stampOf(file),
          });
        } catch (error) {
          if (!missing(error)) throw error;
          scan.problems.push({ path: file, reason: 'a version directory without model.json' });
        }
      }
      model(name);
    } catch (error) {
      // Removed while scanning (an unload on another replica): the next scan sees what is left.
      if (!missing(error)) scan.problems.push({ path, reason: (error as Error).message });
    }
  }
  for (const [name, found] of scan.models) {
    if (found.versions.size === 0 && !found.unloaded) scan.models.delete(name);
  }
  return scan;
}

/** Writes `text` to `path` and makes it durable: write, fsync, close. */
async function writeDurably(path: string, text: string) {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Makes a directory's entries (a rename, a new or removed file) durable. */
async function syncDirectory(path: string) {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * Writes a model file into the repository as the model's next version and returns that version.
 * The file is staged in a hidden directory and renamed into place in one step; when another
 * replica takes the same version number first, the rename fails and the next number is tried.
 */
export async function addVersion(
  directory: string,
  name: string,
  text: string,
): Promise<{ version: number; path: string }> {
  const modelDirectory = join(directory, name);
  await mkdir(modelDirectory, { recursive: true });
  await syncDirectory(directory);
  const staging = join(modelDirectory, `.staging-${randomUUID()}`);
  await mkdir(staging);
  try {
    await writeDurably(join(staging, 'model.json'), text);
    await syncDirectory(staging);
    for (;;) {
      const versions = (await scanRepository(directory)).models.get(name)?.versions.keys() ?? [];
      const version = Math.max(0, ...versions) + 1;
      try {
        await rename(staging, join(modelDirectory, String(version)));
      } catch (error) {
        const { code } = error as NodeJS.ErrnoException;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') continue;
        throw error;
      }
      await syncDirectory(modelDirectory);
      await setUnloaded(directory, name, false);
      return { version, path: join(modelDirectory, String(version), 'model.json') };
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Marks a model unloaded (or loaded again) in the repository, so every replica follows. */
export async function setUnloaded(directory: string, name: string, unloaded: boolean) {
  const modelDirectory = join(directory, name);
  const marker = join(modelDirectory, unloadedMarker);
  if (unloaded) {
    await mkdir(modelDirectory, { recursive: true });
    const staged = join(modelDirectory, `.${unloadedMarker}-${randomUUID()}`);
    await writeDurably(staged, `${new Date().toISOString()}\n`);
    await rename(staged, marker);
  } else {
    try {
      await rm(marker);
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
  }
  await syncDirectory(modelDirectory);
}
