/**
 * Follows Alembic's log while `alembic upgrade` runs: each revision announces itself on stderr
 * (`INFO  [alembic.runtime.migration] Running upgrade 0001 -> 0002, create events`) as it starts, so the
 * time between announcements is each revision's duration, and the last one announced is the one that failed.
 */
export interface RevisionRun {
  revision: string;
  from: string[];
  message: string;
  startedAt: number;
  durationMs?: number;
}

const RUNNING = /Running upgrade (.*?) -> ([0-9A-Za-z_]+)(?:, (.*))?$/;

export function parseRunningLine(line: string): Omit<RevisionRun, 'startedAt'> | undefined {
  const m = RUNNING.exec(line.trim());
  if (!m) return undefined;
  return { revision: m[2]!, from: m[1]!.split(/,\s*/).filter(Boolean), message: (m[3] ?? '').trim() };
}

export class UpgradeClock {
  readonly runs: RevisionRun[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  line(text: string): RevisionRun | undefined {
    const parsed = parseRunningLine(text);
    if (!parsed) return undefined;
    const at = this.now();
    this.close(at);
    const run = { ...parsed, startedAt: at };
    this.runs.push(run);
    return run;
  }

  /** Ends the last revision's span (the process exited: commit included). */
  finish(): RevisionRun[] {
    this.close(this.now());
    return this.runs;
  }

  get last(): RevisionRun | undefined {
    return this.runs[this.runs.length - 1];
  }

  private close(at: number): void {
    const last = this.last;
    if (last && last.durationMs === undefined) last.durationMs = at - last.startedAt;
  }
}
