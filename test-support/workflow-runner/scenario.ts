/**
 * What the workflow scenarios and the rehearsal share: the caller repository, the pipeline repository, Spaces
 * played by the local Ceph RGW, and finding a step in a run's report.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from './index.js';
import { pipelineRepository } from './repositories.js';
import type { RepositoryDefinition } from './stand-ins.js';

export const CALLER = 'acme/signupflow';
export const CALLER_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A caller repository holding only `files` (what the backup and drill callers need). */
export function callerRepository(files: Record<string, string> = {}): RepositoryDefinition {
  const dir = mkdtempSync(join(tmpdir(), 'caller-repo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, visibility: 'private', sha: CALLER_SHA };
}

export const repositories = (caller: RepositoryDefinition, pipeline = pipelineRepository()) => ({
  [CALLER]: caller,
  'your-org/app-platform-pipeline': pipeline
});

/** Spaces is played by the local Ceph RGW: the README's endpoint and bucket are pointed at it. */
export function spacesStandIn(s3: { bucket: string; endpoint: string }) {
  return (_action: string, inputs: Record<string, string>): Record<string, string> =>
    inputs['storage-url'] === undefined
      ? inputs
      : {
          ...inputs,
          'storage-url': inputs['storage-url'].replace(/^s3:\/\/[^/]+/, `s3://${s3.bucket}`),
          's3-endpoint': s3.endpoint,
          's3-force-path-style': 'true'
        };
}

/** Step `id` (not its post step) of job `job`; throws with what the run has when either is missing. */
export const step = (report: RunReport, job: string, id: string) => {
  const j = report.jobs.find(x => x.id === job);
  if (!j)
    throw new Error(`no job ${job}: ${report.jobs.map(x => x.id).join(', ')}\n${report.log.join('\n')}`);
  const s = j.steps.find(x => x.id === id && !x.post);
  if (!s) throw new Error(`no step ${id} in ${job}: ${j.steps.map(x => x.id).join(', ')}`);
  return s;
};
