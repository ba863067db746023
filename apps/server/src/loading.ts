// Turning a model file into a served model: compiled on the main thread when it is small (a few
// milliseconds), in a worker thread when it is large, so that no request waits behind a compile.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadModel } from '@dendrite/nn';
import { serve, type ModelDescription, type ServedModel } from './models.js';

/**
 * Model files larger than this (in characters) load in a worker thread. Measured: a 2-32-32-1
 * network's file is 37 KB and loads and compiles in 29 ms; a 784-32-10 one is 762 KB and takes
 * 412 ms, which the event loop must not spend.
 */
export const largestMainThreadModel = 64 * 1024;

/** A model file's text as a served model: compiled here, or in its own worker thread when large. */
export async function loadServedModel(
  name: string,
  version: string,
  text: string,
  { workerAbove = largestMainThreadModel }: { workerAbove?: number } = {},
): Promise<ServedModel> {
  if (text.length <= workerAbove) return serve(name, loadModel(text), version);
  return workerModel(name, version, text);
}

/** How to start the worker: its compiled file, or its TypeScript source through tsx. */
function workerScript(): { script: string | URL; eval: boolean; execArgv?: string[] } {
  const entry = new URL(
    import.meta.url.endsWith('.ts') ? './model-worker.ts' : './model-worker.js',
    import.meta.url,
  );
  if (!entry.pathname.endsWith('.ts')) return { script: entry, eval: false };
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const code = `const { register } = await import(${JSON.stringify(pathToFileURL(tsx).href)});
register();
await import(${JSON.stringify(entry.href)});`;
  return { script: code, eval: true, execArgv: ['--conditions=@dendrite/source'] };
}

/** A model served from a worker thread: ready once the worker has loaded and compiled it. */
function workerModel(name: string, version: string, text: string): Promise<ServedModel> {
  const { script, ...options } = workerScript();
  const worker = new Worker(script, { ...options, workerData: { name, version, text } });
  const pending = new Map<number, { resolve(rows: number[][]): void; reject(e: Error): void }>();
  let next = 0;
  return new Promise<ServedModel>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        resolve({
          ...message.ready,
          predict: (rows) =>
            new Promise((resolve, reject) => {
              const id = next++;
              pending.set(id, { resolve, reject });
              worker.postMessage({ id, rows });
            }),
          close: () => void worker.terminate(),
        });
      } else if ('failed' in message) {
        reject(new Error(message.failed));
        void worker.terminate();
      } else {
        const request = pending.get(message.id)!;
        pending.delete(message.id);
        if ('error' in message) request.reject(new Error(message.error));
        else request.resolve(message.outputs);
      }
    });
    worker.on('error', reject);
    worker.on('exit', () => {
      reject(new Error('its worker thread stopped'));
      for (const request of pending.values())
        request.reject(new Error(`model '${name}' was unloaded`));
      pending.clear();
    });
  });
}

type WorkerMessage =
  | { ready: ModelDescription }
  | { failed: string }
  | { id: number; outputs: number[][] }
  | { id: number; error: string };
