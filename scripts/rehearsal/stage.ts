/** Bookkeeping for the rehearsal: each step's expected outcome, what happened, and how long it took. */
import { formatDuration } from '../../src/kit/duration.js';
import type { RunReport } from '../../test-support/workflow-runner/index.js';
import { formatRun, jobsLine } from '../../test-support/workflow-runner/report.js';

export interface StepResult {
  step: string;
  expected: string;
  outcome: string;
  ok: boolean;
  ms: number;
  /** The workflow run the step played, when it played one. */
  jobs?: string;
}

export interface Outcome {
  ok: boolean;
  outcome: string;
  report?: RunReport;
}

/**
 * The outcome of a workflow play from facts checked against the run and the servers: ok only when every fact
 * holds; the ones that do not are named in the outcome.
 */
export function checked(summary: string, facts: Record<string, boolean>, report?: RunReport): Outcome {
  const failed = Object.entries(facts)
    .filter(([, ok]) => !ok)
    .map(([fact]) => fact);
  return {
    ok: failed.length === 0,
    outcome: failed.length ? `${summary}; NOT: ${failed.join('; ')}` : summary,
    report
  };
}

export class Rehearsal {
  readonly results: StepResult[] = [];

  /** Runs one step; `run` returns what happened, and throws (or returns ok:false) when it is not what was expected. */
  async step(step: string, expected: string, run: () => Promise<Outcome>): Promise<boolean> {
    const t0 = Date.now();
    console.log(`\n=== ${step} (expect: ${expected})`);
    let result: Outcome;
    try {
      result = await run();
    } catch (error) {
      result = { ok: false, outcome: `error: ${(error as Error).message}` };
    }
    const ms = Date.now() - t0;
    if (result.report) for (const line of formatRun(result.report)) console.log(line);
    this.results.push({
      step,
      expected,
      ms,
      ok: result.ok,
      outcome: result.outcome,
      ...(result.report ? { jobs: jobsLine(result.report) } : {})
    });
    console.log(
      `=== ${step}: ${result.ok ? 'as expected' : 'NOT AS EXPECTED'}: ${result.outcome} (${formatDuration(ms)})`
    );
    return result.ok;
  }

  get allOk(): boolean {
    return this.results.length > 0 && this.results.every(r => r.ok);
  }

  table(): string {
    // The full outcome is printed with each step; the table keeps one readable line per step.
    const short = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);
    const rows = this.results.map(r => [
      r.ok ? 'ok  ' : 'FAIL',
      r.step,
      short(r.outcome),
      formatDuration(r.ms)
    ]);
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

  /** Per workflow played: its total time and each job's result and time. */
  times(): string {
    return this.results
      .filter(r => r.jobs !== undefined)
      .map(r => `${r.step}: ${formatDuration(r.ms)} (${r.jobs})`)
      .join('\n');
  }
}
