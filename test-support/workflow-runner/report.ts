/** A run's report as lines for a person: per job its result and duration, per step the same. */
import type { RunReport } from './index.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function formatRun(report: RunReport): string[] {
  const lines: string[] = [];
  for (const job of report.jobs) {
    lines.push(`  job ${job.id}: ${job.result} (${seconds(job.ms)})`);
    for (const s of job.steps)
      // Generated ids (__run, __actions_checkout) say less than the step's name.
      lines.push(
        `    ${s.post ? 'post ' : ''}${!s.id || s.id.startsWith('__') ? s.name : s.id}: ${s.result} (${seconds(s.ms)})`
      );
  }
  lines.push(`  run: ${report.conclusion}${report.error ? ` (${report.error})` : ''}`);
  return lines;
}

/** One line: each job that ran with its result and duration. */
export const jobsLine = (report: RunReport) =>
  report.jobs
    .filter(j => j.result !== 'skipped')
    .map(j => `${j.id} ${j.result} ${seconds(j.ms)}`)
    .join(', ');
