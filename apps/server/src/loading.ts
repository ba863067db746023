// Turning a model file into a served model: compiled on the main thread when it is small (a few
// milliseconds), in a worker thread when it is large, so that no request waits behind a compile;
// either way its predictions then run on the main thread.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runPortable, type PortableTape } from '@dendrite/autograd';
import { loadModel, widestBatch, type Preprocessing } from '@dendrite/nn';
import { rowPredictor, serve, type ModelDescription, type ServedModel } from './models.js';

/**
 * Model files larger than this (in characters) load in a worker thread. Measured: a 2-32-32-1
 * network's file is 37 KB and loads and compiles in 29 ms; a 784-32-10 one is 762 KB and takes
 * 120–170 ms cold (46 ms once warm), which the event loop must not spend.
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

/**
 * A model compiled in a worker thread: ready once the worker has posted its compiled tape, which
 * then runs here, on the main thread, with no message per request.
 */
function workerModel(name: string, version: string, text: string): Promise<ServedModel> {
  const { script, ...options } = workerScript();
  const worker = new Worker(script, { ...options, workerData: { name, version, text } });
  return new Promise<ServedModel>((resolve, reject) => {
    worker.once('message', (message: WorkerMessage) => {
      if ('failed' in message) return reject(new Error(message.failed));
      // (a model this large gains from running many rows at once)
      const forward = runPortable(message.tape);
      const batched = forward.batched(widestBatch);
      resolve({ ...message.ready, predict: rowPredictor(forward, message.preprocessing, batched) });
    });
    worker.on('error', reject);
    worker.on('exit', () => reject(new Error('its worker thread stopped')));
  });
}

type WorkerMessage =
  | { ready: ModelDescription; preprocessing: Preprocessing; tape: PortableTape }
  | { failed: string };
