import type { ChildProcess } from 'node:child_process';
import { errorMessage } from './errors.js';

/**
 * The ONE cancellation path of every action.
 *
 * GitHub cancels a job by sending SIGINT to the node process, SIGTERM 7.5 s later and SIGKILL 2.5 s after that.
 * `runAction` (actions-io.ts) calls `cancellation.listen()`, so every action gets this; logic under src/ uses the
 * process-wide `cancellation` object:
 *
 * - `cancellation.signal` (an AbortSignal) – pass it to fetch / the AWS SDK / waits; check `cancelled` or call
 *   `throwIfCancelled()` before starting the next piece of work.
 * - `cancellation.trackChild(child, { label, signal })` – right after `spawn`: on cancel the child gets `signal`
 *   (default SIGTERM; SIGINT for Python so it unwinds its transaction), then SIGKILL if it has not exited within
 *   `childGraceMs`. Undo steps only run once every tracked child has exited, so a lock, a scratch database or a
 *   multipart upload is never released/removed under a child that still uses it. A child spawned after the
 *   cancellation is signalled at once. Tracking ends by itself when the child exits.
 * - `const step = cancellation.addUndo('abort multipart upload s3://b/k', async signal => {...})` – what this run
 *   started and must undo if cancelled. Steps run in reverse order of registration, once each, bounded by the
 *   budget. `step.dismiss()` once the work is committed (nothing to undo any more); `step.run()` runs it now from
 *   the logic's own failure path (it still runs only once, whoever calls first).
 * - `cancellation.leave('deployment 12ab keeps running; the next deploy waits for it')` – remote state that is
 *   deliberately left, and how it gets finished. It goes into the summary.
 *
 * On a signal, runAction then waits for `main` to settle (it sees aborts and killed children as errors), writes a
 * summary that says "cancelled", what was undone and what was left, fails with one line and exits 1; all within
 * `budgetMs` (default 6.5 s, below the runner's 7.5 s). A second signal (the runner's SIGTERM) SIGKILLs the
 * children left at once. What a SIGKILL of node itself leaves is the next run's job (e.g. prune of stale uploads).
 */
export class CancelledError extends Error {
  constructor(readonly signalName: string) {
    super(`cancelled by ${signalName}`);
    this.name = 'CancelledError';
  }
}

export interface TrackOptions {
  /** For the summary and logs, e.g. `pg_dump`. */
  label: string;
  /** Sent first on cancel (default SIGTERM). */
  signal?: NodeJS.Signals;
}

export interface UndoStep {
  /** Runs the step now (once; a later cancel does not run it again). */
  run(): Promise<void>;
  /** Forgets the step: the work it would undo is committed or already cleaned. */
  dismiss(): void;
}

export interface CancellationOptions {
  /** From the first signal to the end of the undo steps (default 6500 ms: the runner SIGTERMs at 7.5 s). */
  budgetMs?: number;
  /** How long a child may take to exit after its first signal before SIGKILL (default 3000 ms). */
  childGraceMs?: number;
  log?: (line: string) => void;
}

interface Tracked {
  child: ChildProcess;
  label: string;
  signal: NodeJS.Signals;
  exited: Promise<void>;
}

interface Undo {
  label: string;
  fn: (signal: AbortSignal) => Promise<unknown> | unknown;
  running?: Promise<void>;
}

export class Cancellation {
  private controller = new AbortController();
  private readonly children = new Set<Tracked>();
  private undos: Undo[] = [];
  private stopping?: Promise<void>;
  private markStopped!: () => void;
  private readonly stoppedPromise = new Promise<void>(resolve => (this.markStopped = resolve));
  private startedAt = 0;
  private listeners: (() => void)[] = [];
  /** What the undo steps did (their labels), for the summary. */
  readonly undone: string[] = [];
  /** What stays behind (failed undo steps, `leave()` notes), for the summary. */
  readonly left: string[] = [];
  readonly budgetMs: number;
  private readonly childGraceMs: number;
  private readonly log: (line: string) => void;

  constructor(opts: CancellationOptions = {}) {
    this.budgetMs = opts.budgetMs ?? 6500;
    this.childGraceMs = opts.childGraceMs ?? 3000;
    this.log = opts.log ?? (line => process.stdout.write(`${line}\n`));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** The signal that cancelled the run (`SIGINT`), if any. */
  get reason(): string | undefined {
    const r: unknown = this.controller.signal.reason;
    return r instanceof CancelledError ? r.signalName : undefined;
  }

  /** Milliseconds left of the budget since the first signal (the whole budget before one). */
  remainingMs(): number {
    return this.cancelled ? Math.max(0, this.startedAt + this.budgetMs - Date.now()) : this.budgetMs;
  }

  throwIfCancelled(): void {
    if (this.cancelled) throw this.controller.signal.reason;
  }

  trackChild(child: ChildProcess, opts: TrackOptions): void {
    const exited = new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const tracked: Tracked = { child, label: opts.label, signal: opts.signal ?? 'SIGTERM', exited };
    this.children.add(tracked);
    void exited.then(() => this.children.delete(tracked));
    if (this.cancelled) this.signalChild(tracked, tracked.signal);
  }

  addUndo(label: string, fn: (signal: AbortSignal) => Promise<unknown> | unknown): UndoStep {
    const undo: Undo = { label, fn };
    this.undos.push(undo);
    return {
      run: () => this.runUndo(undo),
      dismiss: () => {
        this.undos = this.undos.filter(u => u !== undo);
      }
    };
  }

  leave(text: string): void {
    this.left.push(text);
  }

  /**
   * Cancels: aborts `signal`, stops the children and waits for them, then runs the undo steps in reverse order.
   * Idempotent; a second call (the runner's second signal) SIGKILLs the children still running.
   */
  cancel(signalName = 'SIGINT'): Promise<void> {
    if (this.stopping) {
      for (const t of this.children) this.signalChild(t, 'SIGKILL');
      return this.stopping;
    }
    this.startedAt = Date.now();
    this.controller.abort(new CancelledError(signalName));
    this.stopping = this.stop().finally(() => this.markStopped());
    return this.stopping;
  }

  /** Resolves once a cancel has stopped the children and run the undo steps (never, when not cancelled). */
  stopped(): Promise<void> {
    return this.stoppedPromise;
  }

  /** Installs the SIGINT/SIGTERM handlers (runAction does this). Returns a function that removes them. */
  listen(): () => void {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        this.log(
          this.stopping
            ? `${name} again: killing what is still running`
            : `${name} received: cancelling (stopping children, undoing what this run started)`
        );
        void this.cancel(name);
      };
      process.on(name, handler);
      this.listeners.push(() => process.off(name, handler));
    }
    return () => {
      for (const off of this.listeners.splice(0)) off();
    };
  }

  private async stop(): Promise<void> {
    const children = [...this.children];
    for (const t of children) this.signalChild(t, t.signal);
    const all = Promise.all(children.map(t => t.exited));
    const grace = Math.min(this.childGraceMs, this.remainingMs());
    if (!(await within(all, grace))) {
      for (const t of this.children) {
        this.log(`${t.label} did not exit within ${grace} ms of ${t.signal}: SIGKILL`);
        this.signalChild(t, 'SIGKILL');
      }
      await within(all, Math.max(500, this.remainingMs()));
    }
    for (const t of this.children) this.left.push(`${t.label} (pid ${t.child.pid}) did not exit`);
    for (const undo of [...this.undos].reverse()) await this.runUndo(undo);
  }

  private runUndo(undo: Undo): Promise<void> {
    undo.running ??= (async () => {
      // Bounded by what is left of the budget once cancelled; run from a failure path, by the step's own limits.
      const budget = this.cancelled
        ? AbortSignal.timeout(Math.max(1, this.remainingMs()))
        : new AbortController().signal;
      try {
        const work = Promise.resolve().then(() => undo.fn(budget));
        const aborted = new Promise<never>((_, reject) =>
          budget.addEventListener('abort', () => reject(new Error('out of time')))
        );
        await Promise.race([work, aborted]);
        this.undone.push(undo.label);
      } catch (error) {
        this.left.push(`${undo.label}: not done (${errorMessage(error)})`);
      } finally {
        this.undos = this.undos.filter(u => u !== undo);
      }
    })();
    return undo.running;
  }

  private signalChild(t: Tracked, signal: NodeJS.Signals): void {
    if (t.child.exitCode !== null || t.child.signalCode !== null) return;
    try {
      t.child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** True when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The process-wide instance every action and all of src/ use. */
export const cancellation = new Cancellation();
