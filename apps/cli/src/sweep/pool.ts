// A pool of child processes that run trials, so that training never blocks the process that
// hands them out (the sweep's coordinator, or a queue worker renewing its jobs' locks).
import { fork, type ChildProcess } from 'node:child_process';
import { removeScratch, runTrial, TrialError, type TrialMetrics } from './trial.js';

/** A trial's process died under it (killed, out of memory): running it again may succeed. */
export class TrialCrash extends Error {}

interface Task {
  id: number;
  args: readonly string[];
  dataPath: string;
  hash: string;
  onStart?: () => void;
  resolve(metrics: TrialMetrics): void;
  reject(error: Error): void;
}

type Reply =
  { id: number; metrics: TrialMetrics } | { id: number; error: string; repeats: boolean };

/** Child processes running one trial at a time each; `run` hands a trial to the next free one. */
export class TrialPool {
  readonly #waiting: Task[] = [];
  readonly #busy = new Map<ChildProcess, Task | undefined>();
  #next = 0;
  #closed = false;

  /** Starts `size` children of this program (`dendrite trial-child`). */
  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.#start();
  }

  /** The children's process ids, busy or not. */
  get pids(): number[] {
    return [...this.#busy.keys()].map((child) => child.pid!);
  }

  /**
   * Runs a trial's `dendrite train` arguments on a child, resolving to its metrics; rejects with
   * a `TrialError` for a run that failed (it would again) or a `TrialCrash` if its process died.
   */
  run(
    args: readonly string[],
    dataPath: string,
    hash: string,
    onStart?: () => void,
  ): Promise<TrialMetrics> {
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      this.#waiting.push({
        id,
        args,
        dataPath,
        hash,
        resolve,
        reject,
        ...(onStart ? { onStart } : {}),
      });
      this.#dispatch();
    });
  }

  /** Stops every child; trials in hand are rejected as crashed. */
  close(): void {
    this.#closed = true;
    for (const child of this.#busy.keys()) child.kill();
  }

  #start(): void {
    const child = fork(process.argv[1]!, ['trial-child'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      // Several trainings at once share the cores: each child's V8 then runs single-threaded,
      // rather than each compiling and collecting garbage on threads of its own beside the others
      // (measured on the 90-trial iris sweep with two children, alternating: 62–70 → 53–55 ms a
      // trial, 3.2–3.6 → 2.9 s the sweep; a child alone keeps its threads).
      execArgv: [...process.execArgv, ...(this.size > 1 ? ['--single-threaded'] : [])],
    });
    this.#busy.set(child, undefined);
    child.on('message', (reply: Reply) => {
      const task = this.#busy.get(child);
      if (task === undefined || task.id !== reply.id) return;
      this.#busy.set(child, undefined);
      if ('metrics' in reply) task.resolve(reply.metrics);
      else task.reject(reply.repeats ? new TrialError(reply.error) : new TrialCrash(reply.error));
      this.#dispatch();
    });
    child.on('exit', (code, signal) => {
      const task = this.#busy.get(child);
      this.#busy.delete(child);
      task?.reject(
        new TrialCrash(
          `the trial's process ${child.pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`,
        ),
      );
      if (!this.#closed) this.#start();
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const [child, task] of this.#busy) {
      if (task !== undefined || !child.connected) continue;
      const next = this.#waiting.shift();
      if (next === undefined) return;
      this.#busy.set(child, next);
      next.onStart?.();
      const { id, args, dataPath, hash } = next;
      child.send({ id, args, dataPath, hash });
    }
  }
}

/** The child's side (`dendrite trial-child`): runs each trial it is sent, until its parent goes. */
export function serveTrials(): void {
  process.on('disconnect', () => {
    removeScratch();
    process.exit(0);
  });
  process.on('message', (task: Pick<Task, 'id' | 'args' | 'dataPath' | 'hash'>) => {
    runTrial(task.args, task.dataPath, task.hash).then(
      (metrics) => process.send!({ id: task.id, metrics }),
      (error: Error) =>
        process.send!({ id: task.id, error: error.message, repeats: error instanceof TrialError }),
    );
  });
}
