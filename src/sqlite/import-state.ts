import type { ImportResult } from './import.js';

/** The run's outcome in a few words (`refused`, `verified and committed`, ...), for the summary heading and the log. */
export function importState(r: ImportResult): string {
  if (r.problems.length) return 'refused';
  if (r.failure) return 'FAILED, rolled back';
  if (r.dryRun) return r.verified ? 'dry run verified, rolled back' : 'dry run';
  return r.committed ? 'verified and committed' : 'not committed';
}
