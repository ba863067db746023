// The models a server answers for, by name and version, kept in step with its model repository:
// each scan loads what is new or changed, drops what is gone or unloaded, and a model being
// compiled is "loading" (503) until it is ready, while every other model keeps answering.
import { readFile } from 'node:fs/promises';
import { HttpError } from './errors.js';
import { loadServedModel } from './loading.js';
import type { ServedModel } from './models.js';
import {
  addVersion,
  scanRepository,
  setUnloaded,
  stampOf,
  type RepositoryScan,
} from '@dendrite/nn/repository';

const plural = (word: string, items: string[]) =>
  `${word}${items.length === 1 ? '' : 's'} ${items.join(', ')}`;

/** The highest ready version, or the highest of all when none is ready (to say why). */
function defaultVersion(versions: ReadonlyMap<string, Entry>): Entry | undefined {
  let ready: Entry | undefined;
  let highest: Entry | undefined;
  for (const entry of versions.values()) {
    const number = Number(entry.version);
    if (highest === undefined || number > Number(highest.version)) highest = entry;
    if (entry.state === 'READY' && (ready === undefined || number > Number(ready.version)))
      ready = entry;
  }
  return ready ?? highest;
}

/** A version's state, in the repository extension's words. */
export interface VersionState {
  name: string;
  version: string;
  state: 'LOADING' | 'READY' | 'UNAVAILABLE';
  reason: string;
}

interface Entry extends VersionState {
  stamp: string;
  model?: ServedModel;
  loaded: Promise<void>;
}

/** What happens to models, for logs and metrics. */
export interface CatalogEvents {
  loaded?(state: VersionState): void;
  failed?(state: VersionState): void;
  scanProblem?(problem: { path: string; reason: string }): void;
}

/** How to keep a catalog. */
export interface CatalogOptions {
  /** The model repository; without one, the catalog serves `builtIn` and takes no writes. */
  repository?: string;
  builtIn?: ReadonlyMap<string, ServedModel>;
  events?: CatalogEvents;
  /** Model files larger than this load in a worker thread (see `largestMainThreadModel`). */
  workerAbove?: number;
}

/** The served models, by name and version, and the repository's model-control operations. */
export class Catalog {
  private readonly entries = new Map<string, Map<string, Entry>>();
  private unloaded = new Set<string>();
  private scanning: Promise<RepositoryScan | undefined> = Promise.resolve(undefined);

  constructor(private readonly options: CatalogOptions) {
    for (const [name, model] of options.builtIn ?? []) {
      const entry = { name, version: model.version, state: 'READY', reason: '', stamp: '', model };
      this.entries.set(
        name,
        new Map([[model.version, { ...entry, loaded: Promise.resolve() } as Entry]]),
      );
    }
  }

  /** Whether the catalog has a repository to write to. */
  get writable(): boolean {
    return this.options.repository !== undefined;
  }

  /** The names of the models the repository (or the built-in set) holds, unloaded ones included. */
  names(): Set<string> {
    return new Set([...this.entries.keys(), ...this.unloaded]);
  }

  /** Whether the repository (or the built-in set) holds a model of this name, unloaded or not. */
  has(name: string): boolean {
    return this.entries.has(name) || this.unloaded.has(name);
  }

  /** A model's served versions, lowest first. */
  versions(name: string): string[] {
    return [...(this.entries.get(name)?.keys() ?? [])].sort((a, b) => Number(a) - Number(b));
  }

  /**
   * The model to answer with: the given version, or the highest ready one. Unknown is a 404;
   * a version still compiling, or one that failed to load, is a 503 that says so.
   */
  find(name: string, version?: string): ServedModel {
    const versions = this.entries.get(name);
    if (versions === undefined) {
      const why = this.unloaded.has(name) ? ' (it is unloaded)' : '';
      throw new HttpError(404, `unknown model '${name}'${why}`);
    }
    let entry: Entry | undefined;
    if (version === undefined) {
      entry = defaultVersion(versions);
    } else {
      entry = versions.get(version);
      if (entry === undefined) {
        throw new HttpError(
          404,
          `unknown version '${version}' of model '${name}' (it has ${plural('version', this.versions(name))})`,
        );
      }
    }
    if (entry!.state === 'LOADING')
      throw new HttpError(503, `model '${name}' version ${entry!.version} is loading`, {
        'Retry-After': '1',
      });
    if (entry!.state === 'UNAVAILABLE')
      throw new HttpError(
        503,
        `model '${name}' version ${entry!.version} is unavailable: ${entry!.reason}`,
      );
    return entry!.model!;
  }

  /** Every model version and its state, and each unloaded model (the repository index). */
  index(): VersionState[] {
    const states: VersionState[] = [...this.unloaded].map((name) => ({
      name,
      version: '',
      state: 'UNAVAILABLE',
      reason: 'unloaded',
    }));
    for (const [name] of this.entries) {
      for (const version of this.versions(name)) {
        const { state, reason } = this.entries.get(name)!.get(version)!;
        states.push({ name, version, state, reason });
      }
    }
    return states.sort(
      (a, b) => a.name.localeCompare(b.name) || Number(a.version) - Number(b.version),
    );
  }

  /**
   * Reads the repository again and brings the served models in step: new and changed versions
   * load (and this resolves once they are ready or failed), removed and unloaded ones go.
   * Scans never overlap; a scan asked for while one runs waits for it and then runs.
   */
  sync(): Promise<RepositoryScan | undefined> {
    const { repository } = this.options;
    if (repository === undefined) return Promise.resolve(undefined);
    const run = async () => {
      const scan = await scanRepository(repository);
      for (const problem of scan.problems) this.options.events?.scanProblem?.(problem);
      await Promise.all(this.apply(scan));
      return scan;
    };
    this.scanning = this.scanning.then(run, run);
    return this.scanning;
  }

  private apply(scan: RepositoryScan): Promise<void>[] {
    const loads: Promise<void>[] = [];
    this.unloaded = new Set([...scan.models].filter(([, m]) => m.unloaded).map(([name]) => name));
    for (const [name, versions] of this.entries) {
      const found = scan.models.get(name);
      for (const [version, entry] of versions) {
        const file = found?.unloaded ? undefined : found?.versions.get(Number(version));
        if (file?.stamp === entry.stamp) continue;
        versions.delete(version);
      }
      if (versions.size === 0) this.entries.delete(name);
    }
    for (const [name, found] of scan.models) {
      if (found.unloaded) continue;
      for (const [number, file] of found.versions) {
        const version = String(number);
        const existing = this.entries.get(name)?.get(version);
        if (existing !== undefined) {
          loads.push(existing.loaded);
          continue;
        }
        const entry = { name, version, state: 'LOADING', reason: '', stamp: file.stamp } as Entry;
        entry.loaded = this.load(entry, file.path);
        if (!this.entries.has(name)) this.entries.set(name, new Map());
        this.entries.get(name)!.set(version, entry);
        loads.push(entry.loaded);
      }
    }
    return loads;
  }

  private async load(entry: Entry, path: string): Promise<void> {
    const { events, workerAbove } = this.options;
    try {
      const text = await readFile(path, 'utf8');
      const model = await loadServedModel(entry.name, entry.version, text, { workerAbove });
      if (this.entries.get(entry.name)?.get(entry.version) !== entry) return;
      Object.assign(entry, { model, state: 'READY' });
      events?.loaded?.(entry);
    } catch (error) {
      Object.assign(entry, { state: 'UNAVAILABLE', reason: (error as Error).message });
      events?.failed?.(entry);
    }
  }

  /**
   * Loads a model file (compiled, in a worker thread when large) and, once it has loaded, writes
   * it into the repository as the model's next version and serves it. A file that does not load
   * is a 400 and is never written.
   */
  async add(name: string, text: string): Promise<VersionState> {
    const repository = this.repository();
    let model: ServedModel;
    try {
      model = await loadServedModel(name, '', text, { workerAbove: this.options.workerAbove });
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    const adopt = async (): Promise<VersionState> => {
      const written = await addVersion(repository, name, text);
      const state = {
        name,
        version: String(written.version),
        state: 'READY',
        reason: '',
      } as const;
      model.version = state.version;
      const entry: Entry = {
        ...state,
        stamp: await stampOf(written.path),
        model,
        loaded: Promise.resolve(),
      };
      if (!this.entries.has(name)) this.entries.set(name, new Map());
      this.entries.get(name)!.set(state.version, entry);
      this.unloaded.delete(name);
      this.options.events?.loaded?.(state);
      return state;
    };
    // In the line of scans, so that no scan finds the new file before it is served.
    const added = this.scanning.then(adopt, adopt);
    this.scanning = added.then(
      () => undefined,
      () => undefined,
    );
    return added;
  }

  /** Serves a model from the repository again after an unload; false when it has no version. */
  async reload(name: string): Promise<boolean> {
    const scan = await this.sync();
    if (!scan?.models.has(name)) return false;
    await setUnloaded(this.repository(), name, false);
    await this.sync();
    return true;
  }

  /** Stops serving a model, on every replica of the repository; its files stay. */
  async unload(name: string): Promise<void> {
    await setUnloaded(this.repository(), name, true);
    await this.sync();
  }

  private repository(): string {
    const { repository } = this.options;
    if (repository === undefined) {
      throw new HttpError(
        403,
        'this server has no model repository, so it takes no models: start it with --models DIR',
      );
    }
    return repository;
  }
}
