// A worker thread that holds one large model: it loads and compiles it off the main thread's
// event loop, says it is ready with the model's description, then answers predictions.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel } from '@dendrite/nn';
import { describeModel, serve, type ServedModel } from './models.js';

const { name, version, text } = workerData as { name: string; version: string; text: string };
const port = parentPort!;
let model: ServedModel;
try {
  model = serve(name, loadModel(text), version);
  port.postMessage({ ready: describeModel(model) });
} catch (error) {
  port.postMessage({ failed: (error as Error).message });
}
port.on('message', ({ id, rows }: { id: number; rows: number[][] }) => {
  try {
    port.postMessage({ id, outputs: model.predict(rows) });
  } catch (error) {
    port.postMessage({ id, error: (error as Error).message });
  }
});
