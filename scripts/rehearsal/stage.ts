/** Bookkeeping for the rehearsal: each step's expected outcome, what happened, and how long it took. */
import { formatDuration } from '../../src/kit/duration.js';

export interface StepResult {
  step: string;
  expected: string;
  outcome: string;
  ok: boolean;
  ms: number;
}

export class Rehearsal {
  readonly results: StepResult[] = [];

  /** Runs one step; `check` returns what happened, and throws (or returns ok:false) when it is not what was expected. */
  async step(
    step: string,
    expected: string,
    run: () => Promise<{ ok: boolean; outcome: string }>
  ): Promise<boolean> {
    const t0 = Date.now();
    console.log(`\n=== ${step} (expect: ${expected})`);
    let result: { ok: boolean; outcome: string };
    try {
      result = await run();
    } catch (error) {
      result = { ok: false, outcome: `error: ${(error as Error).message}` };
    }
    const ms = Date.now() - t0;
    this.results.push({ step, expected, ms, ...result });
    console.log(
      `=== ${step}: ${result.ok ? 'as expected' : 'NOT AS EXPECTED'}: ${result.outcome} (${formatDuration(ms)})`
    );
    return result.ok;
  }

  get allOk(): boolean {
    return this.results.length > 0 && this.results.every(r => r.ok);
  }

  table(): string {
    const rows = this.results.map(r => [r.ok ? 'ok  ' : 'FAIL', r.step, r.outcome, formatDuration(r.ms)]);
    const widths = [4, 0, 0, 0].map((w, i) =>
      Math.max(w, ...rows.map(r => r[i]!.length), ['', 'step', 'result', 'duration'][i]!.length)
    );
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    return [
      line(['', 'step', 'result', 'duration']),
      line(widths.map(w => '-'.repeat(w))),
      ...rows.map(line)
    ].join('\n');
  }
}
