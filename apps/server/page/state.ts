// What the page knows and the worker that trains: the settings (mirrored in the URL's hash), the
// data points, the losses so far, and whether it is playing. Controls and drawing read and change it.
import {
  readPlaygroundUrl,
  toPlaygroundHash,
  type Example,
  type PlaygroundSettings,
} from '@dendrite/nn';
import type { Columns, Table } from './csv.js';
import { element, say } from './dom.js';
import type { Request, Setup, Snapshot } from './protocol.js';

/** The page's experiment settings, with the seed always set. */
export type Settings = PlaygroundSettings & { seed: string };

/** The page's state, one object that its parts share. */
export const state = {
  settings: readHash(),
  /** Points from the user's CSV file, used instead of a generated data set. */
  userPoints: undefined as
    { table: Table; columns: Columns; points: Example[]; classes?: string[] } | undefined,
  points: { train: [], test: [] } as { train: Example[]; test: Example[] },
  /** The latest snapshot from the worker. */
  last: undefined as Snapshot | undefined,
  losses: { train: [] as number[], test: [] as number[] },
  playing: false,
  /** A request to the worker is under way; steps asked for meanwhile wait in `queued`. */
  busy: false,
  queued: 0,
  /** What to do with the next model the worker exports. */
  afterExport: undefined as
    | ((text: string, sample: { input: number[]; output: number }) => void | Promise<void>)
    | undefined,
};

/** The worker that trains the network. */
export const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** Sends the worker a request. */
export const ask = (request: Request) => worker.postMessage(request);

/** The settings in the URL's hash, with the page's defaults (and a fresh seed if it has none). */
function readHash(): Settings {
  const { settings, problems } = readPlaygroundUrl(location.hash);
  if (problems.length > 0) {
    say(
      `In the URL: ${problems.join('; ')}. ${problems.length === 1 ? 'That setting takes its' : 'Those settings take their'} default; the others are kept.`,
    );
  }
  return { ...settings, seed: settings.seed ?? Math.random().toFixed(5) };
}

/** Writes the settings into the URL's hash, in the Playground's keys. */
export function writeHash(): void {
  history.replaceState(null, '', `#${toPlaygroundHash(state.settings)}`);
}

/** Starts over with the current settings: new data if it changed, new starting weights. */
export function reset(): void {
  writeHash();
  state.losses = { train: [], test: [] };
  state.queued = 0;
  state.busy = true;
  const { settings, userPoints } = state;
  const mine =
    userPoints === undefined
      ? {}
      : {
          points: userPoints.points,
          columns: [userPoints.columns.x, userPoints.columns.y, userPoints.columns.label] as [
            string,
            string,
            string,
          ],
          ...(userPoints.classes === undefined ? {} : { classes: userPoints.classes }),
        };
  const setup = { settings, ...mine };
  ask({ type: 'setup', setup });
  document.dispatchEvent(new CustomEvent<Setup>('setup', { detail: setup }));
}

/** One more epoch, once the worker is free. */
export function step(): void {
  state.queued++;
  pump();
}

/** Sends the next epoch to the worker if it is free and one is wanted (queued, or playing). */
export function pump(): void {
  if (state.busy || (state.queued === 0 && !state.playing)) return;
  state.queued = Math.max(0, state.queued - 1);
  state.busy = true;
  ask({ type: 'step', epochs: 1 });
}

/** Plays or pauses, and shows which on the Play button. */
export function setPlaying(on: boolean): void {
  state.playing = on;
  const button = element('play');
  button.textContent = on ? 'Pause' : 'Play';
  button.setAttribute('aria-pressed', String(on));
  pump();
}
