import { createRequire } from 'node:module';
import type { SingleBar as Bar } from 'cli-progress';
import type { Io } from './io.js';
import { fixed } from './text.js';

/** Shows training as it goes: a bar with the epoch, loss and ETA on a terminal, plain lines otherwise. */
export interface Progress {
  update(epoch: number, trainLoss: number, testLoss?: number): void;
  stop(): void;
}

/** Progress on stderr (stdout stays clean for the results); silent when `quiet`. */
export function progress(io: Io, epochs: number, quiet: boolean): Progress {
  if (quiet || epochs === 0) return { update() {}, stop() {} };
  if (io.stderr.isTTY) {
    // (cli-progress loads only on a terminal)
    const { SingleBar } = createRequire(import.meta.url)('cli-progress') as {
      SingleBar: typeof Bar;
    };
    const bar = new SingleBar({
      format: 'epoch {value}/{total} {bar} loss {loss} test {test} | ETA {eta_formatted}',
      stream: io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    });
    bar.start(epochs, 0, { loss: '–', test: '–' });
    return {
      update: (epoch, trainLoss, testLoss) =>
        bar.update(epoch, { loss: fixed(trainLoss), test: fixed(testLoss) }),
      stop: () => bar.stop(),
    };
  }
  const every = Math.max(1, Math.round(epochs / 10));
  return {
    update(epoch, trainLoss, testLoss) {
      if (epoch % every !== 0 && epoch !== epochs) return;
      const test = testLoss === undefined ? '' : `  test loss ${fixed(testLoss)}`;
      io.stderr.write(`epoch ${epoch}/${epochs}  train loss ${fixed(trainLoss)}${test}\n`);
    },
    stop() {},
  };
}
