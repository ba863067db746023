// A worker thread that compiles one large model off the main thread's event loop: it loads the
// model file, compiles the network's forward pass to a tape, and posts the tape (plain typed
// arrays) with the model's description, then ends. The main thread runs the tape itself.
import { parentPort, workerData } from 'node:worker_threads';
import { compile } from '@dendrite/autograd';
import { loadModel } from '@dendrite/nn';
import { modelDescription } from './models.js';

const { name, version, text } = workerData as { name: string; version: string; text: string };
try {
  const loaded = loadModel(text);
  const { network } = loaded;
  const { inputs, outputs } = network.placeholderGraph();
  const forward = compile(outputs, {
    inputs,
    parameters: network.parameters(),
    mode: 'tape',
    simplify: false,
  });
  parentPort!.postMessage({
    ready: modelDescription(name, loaded, version),
    preprocessing: loaded.preprocessing,
    tape: forward.portable!(),
  });
} catch (error) {
  parentPort!.postMessage({ failed: (error as Error).message });
}
