import { formatBytes, formatRate } from './bytes.js';
import { formatDuration } from './duration.js';

/**
 * Rate-limited progress lines for long transfers: `backup: 120.4 MiB dumped, 118.0 MiB stored, 41.2 MB/s,
 * 2.9s elapsed`. Call `update` as often as you like; a line is printed at most every `intervalMs`.
 */
export interface ProgressOptions {
  label: string;
  intervalMs?: number;
  log: (line: string) => void;
  now?: () => number;
}

export class ProgressLogger {
  private readonly started: number;
  private lastPrinted: number;
  private readonly counters = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalMs ?? 5000;
    this.started = this.now();
    this.lastPrinted = this.started;
  }

  /** Sets counter `name` (e.g. `dumped`, `stored`) to `bytes`, printing a line when the interval has passed. */
  set(name: string, bytes: number): void {
    this.counters.set(name, bytes);
    if (this.now() - this.lastPrinted >= this.intervalMs) this.print();
  }

  add(name: string, bytes: number): void {
    this.set(name, (this.counters.get(name) ?? 0) + bytes);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  /** Prints a line now (e.g. the final one). The rate is that of the last counter. */
  print(suffix = ''): void {
    this.lastPrinted = this.now();
    const elapsed = this.elapsedMs();
    const parts = [...this.counters].map(([name, bytes]) => `${formatBytes(bytes)} ${name}`);
    const last = [...this.counters.values()].pop() ?? 0;
    parts.push(formatRate(last, elapsed), `${formatDuration(elapsed)} elapsed`);
    this.opts.log(`${this.opts.label}: ${parts.join(', ')}${suffix ? ` ${suffix}` : ''}`);
  }
}
